/*
 * errors: the table behind errors.h. One row per stable code: HTTP status, English
 * text and Bahasa Indonesia text. Field codes (those reported inside a 400
 * "validation" problem's errors list) carry status 400. The table is small and
 * looked up only when a reply is written, so a linear scan is enough; a unit test
 * keeps the codes unique and every text present.
 */
#include "core/errors.h"

#include <stddef.h>
#include <string.h>

static const struct err_def table[] = {
    /* Generic HTTP and request errors. */
    {"not_found", 404, "Not found.", "Tidak ditemukan."},
    {"method_not_allowed", 405, "This method is not allowed here.",
     "Metode ini tidak diizinkan di sini."},
    {"payload_too_large", 413, "The request body is too large.",
     "Isi permintaan terlalu besar."},
    {"unsupported_media_type", 415, "The request body must be JSON (application/json).",
     "Isi permintaan harus berupa JSON (application/json)."},
    {"json.malformed", 400, "The request body is not valid JSON.",
     "Isi permintaan bukan JSON yang valid."},
    {"json.not_object", 400, "The request body must be a JSON object.",
     "Isi permintaan harus berupa objek JSON."},
    {"json.invalid_utf8", 400, "The request body is not valid UTF-8.",
     "Isi permintaan bukan UTF-8 yang valid."},
    {"validation", 400, "Invalid data", "Data tidak valid"},
    {"request.timeout", 408, "The request took too long to arrive.",
     "Permintaan terlalu lama diterima."},
    {"overloaded", 503, "The service is busy. Please try again shortly.",
     "Layanan sedang sibuk. Silakan coba lagi sebentar lagi."},
    {"store.unavailable", 503, "The database is not available right now.",
     "Basis data sedang tidak tersedia."},
    {"bad_request", 400, "The request is not valid.", "Permintaan tidak valid."},
    {"channel.invalid", 400, "Choose email or phone.", "Pilih email atau nomor HP."},
    {"internal", 500, "Something went wrong on our side.",
     "Terjadi kesalahan pada sistem kami."},

    /* Authentication and authorisation. */
    {"auth.required", 401, "Please log in first.", "Silakan masuk terlebih dahulu."},
    {"auth.invalid_token", 401, "Your session has expired or is not valid. Please log in again.",
     "Sesi Anda sudah berakhir atau tidak valid. Silakan masuk kembali."},
    {"auth.bad_credentials", 401, "The email or password is wrong.",
     "Email atau kata sandi salah."},
    {"auth.throttled", 429, "Too many failed attempts. Please wait before trying again.",
     "Terlalu banyak percobaan gagal. Silakan tunggu sebelum mencoba lagi."},
    {"auth.locked", 423, "This account is locked for a while after too many failed log-ins.",
     "Akun ini dikunci sementara karena terlalu banyak percobaan masuk yang gagal."},
    {"auth.forbidden", 403, "You do not have permission to do this.",
     "Anda tidak memiliki izin untuk melakukan ini."},

    /* Regions and paging. */
    {"region.not_found", 404, "No region has this code.", "Tidak ada wilayah dengan kode ini."},
    {"region.bad_level", 400,
     "The level must be province, regency, district or village.",
     "Tingkat wilayah harus province, regency, district, atau village."},
    {"page.invalid", 400, "The page or page size is not valid.",
     "Nomor halaman atau jumlah per halaman tidak valid."},

    /* Accounts. */
    {"account.nik_taken", 409, "This NIK is already registered.", "NIK ini sudah terdaftar."},
    {"account.email_taken", 409, "This email is already registered.",
     "Email ini sudah terdaftar."},
    {"account.phone_taken", 409, "This phone number is already registered.",
     "Nomor HP ini sudah terdaftar."},

    /* Verification codes. */
    {"verify.bad_code", 400, "The verification code is wrong.", "Kode verifikasi salah."},
    {"verify.expired", 400, "The verification code has expired. Ask for a new one.",
     "Kode verifikasi sudah kedaluwarsa. Minta kode baru."},
    {"verify.too_many_attempts", 429,
     "Too many wrong codes. Ask for a new code.",
     "Terlalu banyak kode yang salah. Minta kode baru."},
    {"verify.not_found", 404, "There is no pending verification for this email.",
     "Tidak ada verifikasi yang menunggu untuk email ini."},

    /* Field codes: inside a 400 validation problem. */
    {"field.required", 400, "This field is required.", "Kolom ini wajib diisi."},
    {"field.wrong_type", 400, "This field has the wrong type.", "Jenis isian kolom ini salah."},
    {"field.too_long", 400, "This field is too long.", "Isian kolom ini terlalu panjang."},
    {"field.nul_byte", 400, "This field contains a NUL character.",
     "Isian kolom ini mengandung karakter NUL."},
    {"field.invalid_utf8", 400, "This field is not valid UTF-8 text.",
     "Isian kolom ini bukan teks UTF-8 yang valid."},
    {"email.invalid", 400, "Enter a valid email address.", "Masukkan alamat email yang valid."},
    {"password.too_short", 400, "The password must have at least 8 characters.",
     "Kata sandi minimal 8 karakter."},
    {"password.too_long", 400, "The password must be at most 128 bytes long.",
     "Kata sandi maksimal 128 byte."},
    {"full_name.invalid", 400,
     "Enter your full name as on your KTP (up to 150 bytes, with at least one letter).",
     "Masukkan nama lengkap sesuai KTP (maksimal 150 byte, minimal satu huruf)."},
    {"nik.length", 400, "The NIK must have exactly 16 digits.", "NIK harus tepat 16 digit."},
    {"nik.not_digits", 400, "The NIK may contain digits only.", "NIK hanya boleh berisi angka."},
    {"nik.unknown_region", 400, "The first six digits of the NIK are not a known district code.",
     "Enam digit pertama NIK bukan kode kecamatan yang dikenal."},
    {"nik.bad_birth_date", 400, "Digits 7 to 12 of the NIK are not a valid date of birth.",
     "Digit ke-7 sampai ke-12 NIK bukan tanggal lahir yang valid."},
    {"nik.serial_zero", 400, "The last four digits of the NIK cannot be 0000.",
     "Empat digit terakhir NIK tidak boleh 0000."},
    {"kk.length", 400, "The KK number must have exactly 16 digits.",
     "Nomor KK harus tepat 16 digit."},
    {"kk.not_digits", 400, "The KK number may contain digits only.",
     "Nomor KK hanya boleh berisi angka."},
    {"kk.unknown_region", 400,
     "The first six digits of the KK number are not a known district code.",
     "Enam digit pertama nomor KK bukan kode kecamatan yang dikenal."},
    {"kk.serial_zero", 400, "The last four digits of the KK number cannot be 0000.",
     "Empat digit terakhir nomor KK tidak boleh 0000."},
    {"birth_date.invalid", 400, "Enter a valid date of birth (YYYY-MM-DD), not in the future.",
     "Masukkan tanggal lahir yang valid (TTTT-BB-HH), bukan tanggal yang akan datang."},
    {"birth_date.nik_mismatch", 400, "The date of birth does not match your NIK.",
     "Tanggal lahir tidak sesuai dengan NIK Anda."},
    {"sex.invalid", 400, "Choose F (female) or M (male).",
     "Pilih F (perempuan) atau M (laki-laki)."},
    {"sex.nik_mismatch", 400, "The sex does not match your NIK.",
     "Jenis kelamin tidak sesuai dengan NIK Anda."},
    {"phone.invalid", 400, "Enter an Indonesian mobile number, such as 081234567890.",
     "Masukkan nomor HP Indonesia, misalnya 081234567890."},
    {"village.unknown", 400, "Choose a village (kelurahan/desa) from the list.",
     "Pilih kelurahan/desa dari daftar."},
    {"education.invalid", 400, "Choose your education from the list.",
     "Pilih pendidikan terakhir dari daftar."},
    {"occupation.invalid", 400, "Choose your occupation from the list.",
     "Pilih pekerjaan dari daftar."},

    /* Eligibility reasons (core/eligibility.h): shown to applicants, status 200
       because they are recorded results, not request errors. */
    {"elig.age_below", 200, "You are younger than the scheme's minimum age.",
     "Usia Anda di bawah batas usia minimum skema."},
    {"elig.age_above", 200, "You are older than the scheme's maximum age.",
     "Usia Anda melebihi batas usia maksimum skema."},
    {"elig.occupation_excluded", 200,
     "Your occupation (civil servant, TNI/Polri, village official, DPR/DPRD member or "
     "BUMN/BUMD director) is excluded from this scheme.",
     "Pekerjaan Anda (ASN, TNI/Polri, perangkat desa, anggota DPR/DPRD, atau direksi/komisaris "
     "BUMN/BUMD) tidak termasuk sasaran skema ini."},
    {"elig.in_education", 200, "People in formal education cannot join this scheme.",
     "Peserta yang sedang menempuh pendidikan formal tidak dapat mengikuti skema ini."},
    {"elig.test_not_passed", 200, "You have not passed the basic test yet.",
     "Anda belum lulus tes kemampuan dasar."},
    {"elig.not_verified", 200, "Verify your email and phone number first.",
     "Verifikasi email dan nomor HP Anda terlebih dahulu."},
    {"elig.kk_limit", 200,
     "Your family card (KK) already has the most beneficiaries this scheme allows.",
     "Kartu Keluarga (KK) Anda sudah mencapai batas jumlah penerima skema ini."},
    {"elig.already_beneficiary", 200, "You have already been a beneficiary of the program.",
     "Anda sudah pernah menjadi penerima program."},
    {"elig.revoked", 200, "Your membership was revoked earlier, so you cannot join again.",
     "Kepesertaan Anda pernah dicabut sehingga tidak dapat mendaftar lagi."},
    {"elig.excluded_list", 200,
     "Your NIK is on an exclusion list (for example, another aid program).",
     "NIK Anda terdapat dalam daftar pengecualian (misalnya penerima bantuan lain)."},
    {"elig.civreg_not_found", 200, "The civil registry does not know your NIK.",
     "NIK Anda tidak ditemukan di data kependudukan (Dukcapil)."},
    {"elig.civreg_name_mismatch", 200,
     "Your name does not match the civil registry.",
     "Nama Anda tidak sesuai dengan data kependudukan (Dukcapil)."},
    {"elig.civreg_birth_mismatch", 200,
     "Your date of birth does not match the civil registry.",
     "Tanggal lahir Anda tidak sesuai dengan data kependudukan (Dukcapil)."},
    {"elig.civreg_unavailable", 200,
     "The civil registry could not be checked; it will be checked again when the wave closes.",
     "Data kependudukan belum dapat diperiksa; akan diperiksa ulang saat gelombang ditutup."},
};

#define TABLE_LEN ((int)(sizeof table / sizeof table[0]))

const struct err_def *err_lookup(const char *code)
{
    if (code == NULL)
        return NULL;
    for (int i = 0; i < TABLE_LEN; i++)
        if (strcmp(table[i].code, code) == 0)
            return &table[i];
    return NULL;
}

const char *err_text(const char *code, const char *lang)
{
    const struct err_def *e = err_lookup(code);

    if (e == NULL)
        return code;
    if (lang != NULL && strcmp(lang, "en") == 0)
        return e->en;
    return e->id;
}

const struct err_def *err_table(int *n)
{
    if (n != NULL)
        *n = TABLE_LEN;
    return table;
}
