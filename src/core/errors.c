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

    /* Schemes and the basic test (issue 4: src/core/scheme.c, src/api/schemes.c,
       src/api/exam.c, prakerja scheme). Field codes carry 400. */
    {"scheme.not_found", 404, "No scheme has this code.", "Tidak ada skema dengan kode ini."},
    {"scheme.code_taken", 409, "A scheme with this code already exists.",
     "Skema dengan kode ini sudah ada."},
    {"scheme.unknown", 400, "There is no scheme with this code.",
     "Tidak ada skema dengan kode ini."},
    {"scheme.code_invalid", 400,
     "The code must have 2 to 40 characters: lower-case letters, digits and hyphens, "
     "not starting or ending with a hyphen.",
     "Kode harus 2 sampai 40 karakter: huruf kecil, angka, dan tanda hubung, tidak diawali "
     "atau diakhiri tanda hubung."},
    {"scheme.name_invalid", 400, "The name must be 1 to 120 bytes of text without control "
     "characters.", "Nama harus 1 sampai 120 byte teks tanpa karakter kendali."},
    {"scheme.amount_invalid", 400, "Enter an amount in whole rupiah from 0 to 1,000,000,000.",
     "Masukkan jumlah dalam rupiah bulat dari 0 sampai 1.000.000.000."},
    {"scheme.count_invalid", 400, "Enter a count from 0 to 120.",
     "Masukkan jumlah dari 0 sampai 120."},
    {"scheme.days_invalid", 400, "Enter a number of days from 0 to 366.",
     "Masukkan jumlah hari dari 0 sampai 366."},
    {"scheme.interval_needed", 400,
     "More than one incentive payment needs an interval of at least 1 day.",
     "Insentif yang dibayar lebih dari sekali memerlukan jeda minimal 1 hari."},
    {"scheme.deadline_invalid", 400, "Enter a purchase deadline from 1 to 366 days.",
     "Masukkan batas waktu pembelian dari 1 sampai 366 hari."},
    {"scheme.age_invalid", 400, "Enter an age from 15 to 100.",
     "Masukkan usia dari 15 sampai 100."},
    {"scheme.age_order", 400, "The maximum age cannot be below the minimum age.",
     "Usia maksimum tidak boleh di bawah usia minimum."},
    {"scheme.flag_invalid", 400, "Choose yes (1) or no (0).", "Pilih ya (1) atau tidak (0)."},
    {"scheme.max_per_kk_invalid", 400, "Enter a limit per family card from 1 to 20.",
     "Masukkan batas per Kartu Keluarga dari 1 sampai 20."},
    {"scheme.hours_invalid", 400, "Enter a number of hours from 0 to 1000.",
     "Masukkan jumlah jam dari 0 sampai 1000."},
    {"scheme.occupations_invalid", 400,
     "List known occupation codes separated by commas, each once.",
     "Tuliskan kode pekerjaan yang dikenal, dipisahkan koma, masing-masing sekali."},
    {"scheme.tiers_invalid", 400,
     "Give groups separated by '|', each a comma list of known occupation codes, each "
     "occupation in one group only.",
     "Tuliskan kelompok yang dipisahkan '|', masing-masing berisi kode pekerjaan yang dikenal "
     "dipisahkan koma; setiap pekerjaan hanya di satu kelompok."},
    {"scheme.test_questions_invalid", 400, "Enter a number of test questions from 1 to 100.",
     "Masukkan jumlah soal tes dari 1 sampai 100."},
    {"scheme.test_minutes_invalid", 400, "Enter a test time from 1 to 240 minutes.",
     "Masukkan waktu tes dari 1 sampai 240 menit."},
    {"scheme.pass_mark_invalid", 400, "Enter a pass mark from 0 to 100 percent.",
     "Masukkan nilai kelulusan dari 0 sampai 100 persen."},
    {"test.not_found", 404, "There is no such test attempt.",
     "Percobaan tes ini tidak ditemukan."},
    {"test.once_a_day", 409, "You have already started the basic test today. Try again tomorrow.",
     "Anda sudah memulai tes kemampuan dasar hari ini. Silakan coba lagi besok."},
    {"test.already_submitted", 409, "This test attempt has already been submitted.",
     "Jawaban percobaan tes ini sudah dikirim."},
    {"test.deadline_passed", 409,
     "The time for this test attempt is over; it was recorded with a score of 0.",
     "Waktu percobaan tes ini sudah habis; percobaan dicatat dengan nilai 0."},
    {"test.unavailable", 503, "The basic test is not available right now.",
     "Tes kemampuan dasar sedang tidak tersedia."},
    {"test.answer_count", 400, "Give exactly one answer (or null) for each question.",
     "Berikan tepat satu jawaban (atau null) untuk setiap soal."},
    {"test.choice_invalid", 400, "Choose one of the question's options (0, 1, 2, ...) or null.",
     "Pilih salah satu pilihan jawaban soal (0, 1, 2, ...) atau null."},

    /* Waves, applications, the draw and the card (issue 4: src/api/waves.c,
       src/store/waves.c, prakerja wave). Field codes carry 400. */
    {"wave.not_found", 404, "There is no wave with this number.",
     "Tidak ada gelombang dengan nomor ini."},
    {"wave.number_taken", 409, "A wave with this number already exists.",
     "Gelombang dengan nomor ini sudah ada."},
    {"wave.bad_state", 409, "The wave is not in a state that allows this.",
     "Status gelombang tidak memungkinkan tindakan ini."},
    {"wave.not_open", 409, "This wave is not open for applications.",
     "Gelombang ini tidak sedang dibuka untuk pendaftaran."},
    {"wave.already_drawn", 409, "The draw of this wave has already run.",
     "Undian gelombang ini sudah dilakukan."},
    {"wave.not_drawn", 409, "The draw of this wave has not run yet.",
     "Undian gelombang ini belum dilakukan."},
    {"wave.seed_mismatch", 400, "The seed does not match the wave's published seed commitment.",
     "Seed tidak sesuai dengan komitmen seed gelombang yang telah diumumkan."},
    {"wave.none_open", 409, "There is no later wave to carry the application over to.",
     "Tidak ada gelombang berikutnya untuk memindahkan pendaftaran."},
    {"application.already_open", 409,
     "You already have an application in progress in a wave.",
     "Anda sudah memiliki pendaftaran yang sedang berjalan di suatu gelombang."},
    {"application.not_found", 404, "There is no such application.",
     "Pendaftaran ini tidak ditemukan."},
    {"application.not_carryable", 409,
     "Only an application that was not selected in the draw can be carried over.",
     "Hanya pendaftaran yang tidak terpilih dalam undian yang dapat dipindahkan."},
    {"card.not_found", 404, "You do not have a Kartu Prakerja.",
     "Anda belum memiliki Kartu Prakerja."},
    {"wave.number_invalid", 400, "Enter a wave number from 1 to 1,000,000.",
     "Masukkan nomor gelombang dari 1 sampai 1.000.000."},
    {"wave.time_invalid", 400, "Enter a time as ISO 8601 with a zone, like 2026-12-05T10:00:00Z.",
     "Masukkan waktu dalam format ISO 8601 dengan zona, misalnya 2026-12-05T10:00:00Z."},
    {"wave.closes_before_opens", 400, "The wave must close after it opens.",
     "Gelombang harus ditutup setelah dibuka."},
    {"wave.quota_invalid", 400, "Enter a number of seats from 0 to 100,000,000.",
     "Masukkan jumlah kursi dari 0 sampai 100.000.000."},
    {"wave.quota_mode_invalid", 400, "Choose csv or proportional.",
     "Pilih csv atau proportional."},
    {"wave.floor_invalid", 400, "The floor must be a number of seats from 0 to the total quota.",
     "Batas minimum harus berupa jumlah kursi dari 0 sampai kuota total."},
    {"wave.spill_rule_invalid", 400,
     "Choose regency, regency_province or regency_province_nation.",
     "Pilih regency, regency_province, atau regency_province_nation."},
    {"wave.commitment_invalid", 400, "The seed commitment must be 64 hexadecimal digits.",
     "Komitmen seed harus 64 digit heksadesimal."},
    {"wave.seed_invalid", 400, "The seed must be 32 bytes written as 64 hexadecimal digits.",
     "Seed harus 32 byte yang ditulis sebagai 64 digit heksadesimal."},
    {"wave.seed_or_commitment", 400, "Give either the seed or its commitment, not both.",
     "Berikan seed atau komitmennya, tidak keduanya."},
    {"wave.quotas_line", 400, "A line of the quota CSV is not regency_code,quota.",
     "Sebuah baris CSV kuota tidak berformat regency_code,quota."},
    {"wave.quotas_unknown_regency", 400, "The quota CSV names a regency that does not exist.",
     "CSV kuota memuat kabupaten/kota yang tidak ada."},
    {"wave.quotas_duplicate", 400, "The quota CSV gives a regency twice.",
     "CSV kuota memuat satu kabupaten/kota dua kali."},
    {"wave.quotas_sum", 400, "The quotas of the CSV do not add up to the total quota.",
     "Jumlah kuota dalam CSV tidak sama dengan kuota total."},
    {"wave.quotas_not_csv", 400, "Quotas per regency are given only in csv mode.",
     "Kuota per kabupaten/kota hanya diberikan pada mode csv."},
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
