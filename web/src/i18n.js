// The app's words in Bahasa Indonesia (the default) and English. t(key) looks a key
// up in the current language and falls back to Indonesian, then to the key itself.
// The chosen language is remembered in localStorage and sent with every API call as
// Accept-Language (api.js), so the server's messages come back in the same language.
// Error codes are keys too: the client's own checks (validate.js) use the server's
// stable codes and show the texts below. The formatting helpers at the end (rupiah,
// card numbers, WIB times) are plain functions too, so node can test them.

const STORE_KEY = 'prakerja.lang';
export const LANGS = ['id', 'en'];

const id = {
  'app.name': 'Kartu Prakerja',
  'app.skip': 'Lompat ke isi',
  'nav.home': 'Beranda',
  'nav.register': 'Daftar',
  'nav.login': 'Masuk',
  'nav.account': 'Akun saya',
  'nav.main': 'Navigasi utama',
  'lang.switch': 'English',
  'lang.switch_label': 'Switch to English',
  'footer.regions': 'Data wilayah: idn-area-data (ODbL).',

  'home.title': 'Kartu Prakerja',
  'home.lead': 'Program pengembangan kompetensi kerja berupa bantuan biaya pelatihan dan insentif bagi pencari kerja, pekerja, dan pelaku usaha mikro dan kecil.',
  'home.what': 'Apa yang didapat',
  'home.what1': 'Saldo pelatihan untuk membeli pelatihan keterampilan (daring, webinar, luring) di mitra platform digital.',
  'home.what2': 'Insentif tunai setelah menyelesaikan pelatihan pertama dan memberi ulasan, dibayar ke rekening bank atau dompet digital atas nama sendiri.',
  'home.what3': 'Insentif survei untuk mengisi survei singkat tentang pekerjaan dan penghasilan.',
  'home.who': 'Siapa yang boleh ikut',
  'home.who1': 'Warga negara Indonesia berusia 18 sampai 64 tahun yang tidak sedang sekolah atau kuliah.',
  'home.who2': 'Bukan ASN, TNI/Polri, kepala atau perangkat desa, anggota DPR/DPRD, atau direksi/komisaris BUMN/BUMD.',
  'home.who3': 'Paling banyak dua NIK dalam satu Kartu Keluarga, dan belum pernah menerima Kartu Prakerja.',
  'home.steps': 'Langkahnya',
  'home.step1': 'Daftar akun, lalu verifikasi email dan nomor HP.',
  'home.step2': 'Lengkapi data diri dan ikuti tes kemampuan dasar.',
  'home.step3': 'Gabung gelombang dan tunggu hasil seleksi.',
  'home.step4': 'Jika terpilih, beli pelatihan pertama sebelum batas waktu.',
  'home.step5': 'Selesaikan pelatihan, beri ulasan, dan terima insentif.',
  'home.cta': 'Daftar sekarang',
  'home.have': 'Sudah punya akun?',

  'reg.title': 'Daftar akun',
  'reg.intro': 'Isi sesuai KTP dan Kartu Keluarga. Semua kolom wajib diisi.',
  'reg.account': 'Akun',
  'reg.person': 'Data diri',
  'reg.domicile': 'Domisili',
  'reg.other': 'Pendidikan dan pekerjaan',
  'reg.submit': 'Daftar',
  'reg.sending': 'Mengirim…',
  'reg.fix': 'Periksa kembali kolom yang ditandai.',
  'field.email': 'Email',
  'field.password': 'Kata sandi',
  'field.password_hint': 'Minimal 8 karakter.',
  'field.full_name': 'Nama lengkap (sesuai KTP)',
  'field.nik': 'NIK',
  'field.nik_hint': '16 angka pada KTP.',
  'field.kk': 'Nomor Kartu Keluarga (KK)',
  'field.birth_date': 'Tanggal lahir',
  'field.sex': 'Jenis kelamin',
  'sex.F': 'Perempuan',
  'sex.M': 'Laki-laki',
  'field.phone': 'Nomor HP',
  'field.phone_hint': 'Contoh: 0812 3456 7890',
  'field.province': 'Provinsi',
  'field.regency': 'Kabupaten/kota',
  'field.district': 'Kecamatan',
  'field.village_code': 'Kelurahan/desa',
  'field.education': 'Pendidikan terakhir',
  'field.occupation': 'Pekerjaan',
  'field.choose': 'Pilih…',
  'field.loading': 'Memuat…',
  'field.show_password': 'Tampilkan kata sandi',
  'regions.failed': 'Daftar wilayah gagal dimuat.',
  'regions.retry': 'Coba lagi',

  'edu.none': 'Tidak/belum sekolah',
  'edu.sd': 'SD/sederajat',
  'edu.smp': 'SMP/sederajat',
  'edu.sma': 'SMA/sederajat',
  'edu.smk': 'SMK',
  'edu.diploma': 'Diploma (D1–D4)',
  'edu.s1': 'Sarjana (S1)',
  'edu.s2': 'Magister (S2)',
  'edu.s3': 'Doktor (S3)',
  'occ.unemployed': 'Belum/tidak bekerja',
  'occ.laid_off': 'Korban PHK',
  'occ.employee': 'Karyawan/pekerja',
  'occ.entrepreneur': 'Wirausaha',
  'occ.farmer_fisher': 'Petani/nelayan',
  'occ.informal_worker': 'Pekerja informal',
  'occ.student': 'Pelajar/mahasiswa',
  'occ.homemaker': 'Mengurus rumah tangga',
  'occ.civil_servant': 'PNS/ASN',
  'occ.military_police': 'TNI/Polri',
  'occ.village_official': 'Kepala/perangkat desa',
  'occ.legislator': 'Anggota DPR/DPRD',
  'occ.soe_director': 'Direksi/komisaris BUMN/BUMD',
  'occ.other': 'Lainnya',

  'ver.title': 'Verifikasi akun',
  'ver.intro': 'Kami mengirim kode 6 angka ke email dan nomor HP Anda. Masukkan keduanya di bawah.',
  'ver.email_code': 'Kode dari email',
  'ver.phone_code': 'Kode dari SMS',
  'ver.submit': 'Verifikasi',
  'ver.resend': 'Kirim ulang kode',
  'ver.resent': 'Kode baru telah dikirim.',
  'ver.email_ok': 'Email terverifikasi.',
  'ver.phone_ok': 'Nomor HP terverifikasi.',
  'ver.done': 'Akun Anda sudah terverifikasi. Silakan masuk.',
  'ver.go_login': 'Masuk',

  'login.title': 'Masuk',
  'login.submit': 'Masuk',
  'login.no_account': 'Belum punya akun?',
  'login.need': 'Silakan masuk dulu.',

  'acc.title': 'Akun saya',
  'acc.name': 'Nama',
  'acc.nik': 'NIK',
  'acc.email': 'Email',
  'acc.phone': 'Nomor HP',
  'acc.verified': 'terverifikasi',
  'acc.unverified': 'belum diverifikasi',
  'acc.verify_now': 'Verifikasi sekarang',
  'acc.region': 'Domisili',
  'acc.logout': 'Keluar',
  'acc.loading': 'Memuat…',

  'net.error': 'Tidak dapat terhubung ke server. Periksa koneksi Anda lalu coba lagi.',
  'net.busy': 'Server sedang sibuk. Coba lagi sebentar lagi.',
  'net.busy_in': 'Server sedang sibuk. Coba lagi dalam {s} detik.',
  'net.unexpected': 'Terjadi kesalahan. Coba lagi.',
  'page.not_found': 'Halaman tidak ditemukan.',

  'field.required': 'Wajib diisi.',
  'field.too_long': 'Terlalu panjang.',
  'email.invalid': 'Alamat email tidak valid.',
  'password.too_short': 'Kata sandi minimal 8 karakter.',
  'password.too_long': 'Kata sandi terlalu panjang.',
  'full_name.invalid': 'Nama tidak valid.',
  'nik.length': 'NIK harus 16 angka.',
  'nik.not_digits': 'NIK hanya boleh berisi angka.',
  'nik.unknown_region': 'Kode wilayah pada NIK tidak dikenal.',
  'nik.bad_birth_date': 'Tanggal lahir pada NIK tidak valid.',
  'nik.serial_zero': 'Empat angka terakhir NIK tidak boleh 0000.',
  'kk.length': 'Nomor KK harus 16 angka.',
  'kk.not_digits': 'Nomor KK hanya boleh berisi angka.',
  'kk.unknown_region': 'Kode wilayah pada nomor KK tidak dikenal.',
  'kk.serial_zero': 'Empat angka terakhir nomor KK tidak boleh 0000.',
  'birth_date.invalid': 'Tanggal lahir tidak valid.',
  'birth_date.nik_mismatch': 'Tanggal lahir tidak sesuai dengan NIK.',
  'sex.invalid': 'Pilih jenis kelamin.',
  'sex.nik_mismatch': 'Jenis kelamin tidak sesuai dengan NIK.',
  'phone.invalid': 'Nomor HP tidak valid. Contoh: 081234567890.',
  'village.unknown': 'Pilih kelurahan/desa.',
  'education.invalid': 'Pilih pendidikan terakhir.',
  'occupation.invalid': 'Pilih pekerjaan.',
  'account.nik_taken': 'NIK ini sudah terdaftar.',
  'account.email_taken': 'Email ini sudah terdaftar.',
  'account.phone_taken': 'Nomor HP ini sudah terdaftar.',
  'verify.bad_format': 'Kode terdiri dari 6 angka.',
  'verify.bad_code': 'Kode salah.',
  'verify.expired': 'Kode sudah kedaluwarsa. Minta kode baru.',
  'verify.too_many_attempts': 'Terlalu banyak percobaan. Minta kode baru.',
  'verify.not_found': 'Tidak ada kode yang menunggu untuk email ini.',
  'auth.bad_credentials': 'Email atau kata sandi salah.',
  'auth.throttled': 'Terlalu banyak percobaan. Coba lagi nanti.',
  'auth.locked': 'Akun dikunci sementara. Coba lagi nanti.',

  // issue 4: basic test, waves, card, waves admin
  'nav.waves': 'Gelombang',
  'nav.test': 'Tes',
  'nav.card': 'Kartu saya',
  'nav.admin_waves': 'Kelola gelombang',
  'acc.next': 'Langkah berikutnya',
  'common.loading': 'Memuat…',
  'common.retry': 'Coba lagi',
  'common.sending': 'Mengirim…',

  'test.title': 'Tes Kemampuan Dasar',
  'test.intro': 'Tes ini berisi soal motivasi, verbal, dan kuantitatif. Anda perlu lulus tes ini untuk mendaftar gelombang.',
  'test.rule_once': 'Tes hanya bisa dimulai sekali sehari (hari dihitung dalam WIB).',
  'test.rule_timed': 'Waktunya dibatasi. Setelah Anda menekan Mulai, waktu terus berjalan walaupun halaman ditutup.',
  'test.rule_size': '{n} soal, {m} menit, nilai lulus {p}.',
  'test.start': 'Mulai tes',
  'test.starting': 'Memulai…',
  'test.time_left': 'Sisa waktu',
  'test.time_warn': 'Sisa waktu {m} menit.',
  'test.time_up': 'Waktu habis. Jawaban Anda dikirim.',
  'test.question': 'Soal {i} dari {n}',
  'cat.motivation': 'Motivasi',
  'cat.verbal': 'Verbal',
  'cat.quantitative': 'Kuantitatif',
  'test.answered': '{a} dari {n} soal dijawab.',
  'test.unanswered_warn': '{k} soal belum dijawab. Tekan Kirim jawaban sekali lagi untuk tetap mengirim.',
  'test.submit': 'Kirim jawaban',
  'test.result': 'Hasil tes',
  'test.score': 'Nilai',
  'test.correct': '{c} dari {n} jawaban benar',
  'test.pass_mark': 'Nilai lulus',
  'test.passed': 'Lulus',
  'test.failed': 'Belum lulus',
  'test.passed_note': 'Selamat, Anda lulus. Sekarang Anda bisa mendaftar gelombang.',
  'test.failed_note': 'Anda belum lulus. Anda bisa mencoba lagi besok.',
  'test.done_today': 'Anda sudah memulai tes hari ini. Tes berikutnya bisa dimulai besok (WIB).',
  'test.already_passed': 'Anda sudah lulus tes kemampuan dasar.',
  'test.elsewhere': 'Tes hari ini sudah dimulai di perangkat atau tab lain, jadi soalnya tidak bisa ditampilkan di sini.',
  'test.history': 'Riwayat tes',
  'test.no_history': 'Belum ada tes.',
  'test.not_submitted': 'tidak dikirim',
  'test.in_progress': 'sedang berjalan',
  'test.go_waves': 'Lihat gelombang',

  'waves.title': 'Gelombang',
  'waves.intro': 'Pendaftaran Kartu Prakerja dibuka per gelombang. Semua waktu dalam WIB.',
  'waves.none': 'Belum ada gelombang.',
  'waves.wave': 'Gelombang {n}',
  'waves.opens': 'Dibuka',
  'waves.closes': 'Ditutup',
  'waves.quota': 'Kuota',
  'waves.scheme': 'Skema',
  'waves.people': '{n} orang',
  'wstatus.scheduled': 'Dijadwalkan',
  'wstatus.open': 'Sedang dibuka',
  'wstatus.closed': 'Ditutup',
  'wstatus.drawn': 'Sudah diundi',
  'waves.apply': 'Daftar gelombang {n}',
  'waves.applying': 'Mendaftar…',
  'waves.login_to_apply': 'Masuk untuk mendaftar',
  'waves.applied_here': 'Anda terdaftar di gelombang ini.',
  'waves.staff_cannot': 'Akun petugas tidak bisa mendaftar gelombang.',
  'waves.need_test': 'Sebelum mendaftar, lulus dulu tes kemampuan dasar.',

  'app.title': 'Pendaftaran Anda',
  'app.in_wave': 'Gelombang {n}',
  'app.status': 'Status',
  'astatus.submitted': 'Sedang diperiksa',
  'astatus.eligible': 'Memenuhi syarat, menunggu undian',
  'astatus.ineligible': 'Tidak memenuhi syarat',
  'astatus.selected': 'Terpilih',
  'astatus.not_selected': 'Tidak terpilih',
  'astatus.carried_over': 'Pindah ke gelombang berikutnya',
  'app.checks': 'Pemeriksaan syarat',
  'app.checked_at': 'Diperiksa {t}',
  'rule.age': 'Usia',
  'rule.occupation': 'Pekerjaan',
  'rule.education': 'Tidak sedang sekolah atau kuliah',
  'rule.test': 'Tes kemampuan dasar',
  'rule.verified': 'Email dan nomor HP terverifikasi',
  'rule.kk_limit': 'Batas peserta per Kartu Keluarga',
  'rule.first_time': 'Belum pernah menerima Kartu Prakerja',
  'rule.not_revoked': 'Kepesertaan tidak pernah dicabut',
  'rule.exclusion': 'Tidak ada di daftar pengecualian',
  'rule.civil_registry': 'Data kependudukan (Dukcapil)',
  'rule.pass': 'Lolos',
  'rule.fail': 'Tidak lolos',
  'app.selected_note': 'Selamat! Anda terpilih sebagai penerima Kartu Prakerja.',
  'app.stage.regency': 'Terpilih lewat kuota kabupaten/kota Anda.',
  'app.stage.province': 'Terpilih lewat sisa kuota provinsi Anda.',
  'app.stage.nation': 'Terpilih lewat sisa kuota nasional.',
  'app.see_card': 'Lihat kartu saya',
  'app.not_selected_note': 'Anda belum terpilih di gelombang ini. Anda bisa ikut gelombang berikutnya tanpa mendaftar ulang.',
  'app.carry_over': 'Ikut gelombang berikutnya',
  'app.carried': 'Anda sudah dipindahkan ke gelombang {n}.',
  'app.wait_draw': 'Hasil undian diumumkan setelah gelombang ditutup dan diundi.',
  'app.ineligible_note': 'Anda belum memenuhi syarat yang bertanda ✗.',
  'app.older': 'Pendaftaran sebelumnya',
  'app.take_test': 'Ikuti tes',
  'app.verify_now': 'Verifikasi sekarang',

  'card.title': 'Kartu Prakerja saya',
  'card.none': 'Anda belum memiliki Kartu Prakerja. Kartu diberikan kepada peserta yang terpilih dalam undian gelombang.',
  'card.number': 'Nomor kartu',
  'card.balance': 'Saldo pelatihan',
  'card.of': 'dari {x}',
  'card.deadline': 'Batas beli pelatihan pertama',
  'card.days_left': '{d} hari lagi',
  'card.today': 'hari ini',
  'card.passed': 'sudah lewat',
  'card.deadline_note': 'Beli pelatihan pertama sebelum batas ini. Jika tidak, kepesertaan Anda dicabut dan saldo kembali ke negara.',
  'card.status': 'Status',
  'cstatus.active': 'Aktif',
  'cstatus.revoked': 'Dicabut',
  'card.revoked_at': 'Dicabut pada',
  'card.wave': 'Gelombang',
  'card.scheme': 'Skema',

  'adm.title': 'Kelola gelombang',
  'adm.only': 'Halaman ini hanya untuk admin.',
  'adm.create': 'Buat gelombang baru',
  'adm.create_submit': 'Buat gelombang',
  'adm.list': 'Daftar gelombang',
  'field.number': 'Nomor gelombang',
  'field.scheme': 'Skema',
  'field.opens_at': 'Dibuka (WIB)',
  'field.closes_at': 'Ditutup (WIB)',
  'field.total_quota': 'Kuota total',
  'field.quota_mode': 'Pembagian kuota',
  'qmode.proportional': 'Proporsional dengan peserta layak per kabupaten/kota',
  'qmode.csv': 'Dari daftar CSV (kode kabupaten/kota, kuota)',
  'field.quota_floor': 'Kuota minimum per kabupaten/kota',
  'field.quotas_csv': 'Kuota per kabupaten/kota (CSV)',
  'hint.quotas_csv': 'Satu baris per kabupaten/kota, misalnya "35.09,1200". Jumlahnya harus sama dengan kuota total.',
  'field.quotas_file': 'Atau ambil dari file CSV',
  'field.spill_rule': 'Kursi yang tidak terisi',
  'spill.regency': 'Tetap di kabupaten/kota',
  'spill.regency_province': 'Pindah ke provinsi',
  'spill.regency_province_nation': 'Pindah ke provinsi, lalu nasional',
  'field.refill': 'Tambahkan kursi yang dicabut dan belum diisi ulang',
  'adm.seed_title': 'Simpan seed ini',
  'adm.seed_warn': 'Ini seed undian gelombang {n}. Anda memerlukannya untuk mengundi. Seed hanya ditampilkan sekali ini dan tidak disimpan server (server hanya menyimpan hash SHA-256-nya).',
  'adm.seed_lost_reply': 'Balasan server tidak sampai. Jika gelombang ternyata sudah dibuat, ini seed-nya; simpan:',
  'adm.copy': 'Salin seed',
  'adm.copied': 'Seed disalin.',
  'adm.copy_failed': 'Tidak bisa menyalin otomatis; pilih teksnya dan salin manual.',
  'adm.seed_saved': 'Saya sudah menyimpannya',
  'adm.no_crypto': 'Peramban ini tidak bisa membuat seed dengan aman di sini (perlu HTTPS).',
  'adm.open': 'Buka gelombang',
  'adm.close': 'Tutup gelombang',
  'adm.draw': 'Undi',
  'adm.working': 'Memproses…',
  'field.seed': 'Seed (64 karakter heksadesimal)',
  'seed.invalid': 'Seed harus 64 karakter 0-9 atau a-f.',
  'adm.audit': 'Unduh file audit undian (CSV)',
  'adm.commitment': 'Komitmen seed (SHA-256)',
  'adm.seed': 'Seed',
  'adm.mode': 'Pembagian kuota',
  'adm.spill': 'Kursi tidak terisi',
  'adm.refill_seats': 'Kursi isi ulang',
  'adm.drawn_at': 'Diundi',
  'adm.counts': 'Jumlah',
  'count.applications': 'Pendaftar',
  'count.eligible': 'Layak',
  'count.ineligible': 'Tidak layak',
  'count.selected': 'Terpilih',
  'adm.stats': 'Hasil undian',
  'stat.eligible': 'Peserta layak',
  'stat.seats': 'Kursi',
  'stat.selected': 'Terpilih',
  'stat.selected_regency': 'Terpilih lewat kabupaten/kota',
  'stat.selected_province': 'Terpilih lewat provinsi',
  'stat.selected_nation': 'Terpilih lewat nasional',
  'stat.unfilled': 'Kursi tidak terisi',
  'number.invalid': 'Isi bilangan bulat positif.',
  'number.negative': 'Isi bilangan bulat 0 atau lebih.',
  'datetime.invalid': 'Isi tanggal dan jam.',
  'closes_at.before_opens': 'Waktu tutup harus setelah waktu buka.',
  'file.too_big': 'File terlalu besar (maksimal 1 MB).',
  'file.unreadable': 'File tidak bisa dibaca.',

  'test.once_a_day': 'Anda sudah memulai tes hari ini. Coba lagi besok.',
  'test.already_submitted': 'Jawaban tes ini sudah dikirim.',
  'test.deadline_passed': 'Waktu tes sudah habis; jawaban tidak dinilai.',
  'test.not_found': 'Tes tidak ditemukan.',
  'wave.not_found': 'Gelombang tidak ditemukan.',
  'wave.number_taken': 'Nomor gelombang ini sudah dipakai.',
  'wave.bad_state': 'Tindakan ini tidak bisa dilakukan pada status gelombang sekarang.',
  'wave.seed_mismatch': 'Seed tidak cocok dengan komitmen gelombang ini.',
  'wave.already_drawn': 'Gelombang ini sudah diundi.',
  'wave.not_open': 'Gelombang ini tidak sedang dibuka.',
  'wave.none_open': 'Belum ada gelombang berikutnya yang dijadwalkan atau dibuka.',
  'application.already_open': 'Anda sudah terdaftar di gelombang lain.',
  'application.not_carryable': 'Pendaftaran ini tidak bisa dipindahkan.',
  'card.not_found': 'Anda belum memiliki Kartu Prakerja.',
  'auth.forbidden': 'Anda tidak berhak melakukan ini.',
};

const en = {
  'app.skip': 'Skip to content',
  'nav.home': 'Home',
  'nav.register': 'Register',
  'nav.login': 'Log in',
  'nav.account': 'My account',
  'nav.main': 'Main navigation',
  'lang.switch': 'Bahasa Indonesia',
  'lang.switch_label': 'Ganti ke Bahasa Indonesia',
  'footer.regions': 'Region data: idn-area-data (ODbL).',

  'home.lead': 'A skills programme that gives job seekers, workers and micro and small business owners a training voucher and an incentive.',
  'home.what': 'What you get',
  'home.what1': 'A training balance to buy skills courses (self-paced, webinar, in person) on partner digital platforms.',
  'home.what2': 'A cash incentive after finishing your first training and rating it, paid to a bank account or e-wallet in your own name.',
  'home.what3': 'A survey incentive for answering short surveys about work and income.',
  'home.who': 'Who can join',
  'home.who1': 'Indonesian citizens aged 18 to 64 who are not in school or university.',
  'home.who2': 'Not civil servants, military or police, village heads or officials, members of parliament, or directors or commissioners of state-owned companies.',
  'home.who3': 'At most two NIKs per family card, and never a beneficiary before.',
  'home.steps': 'The steps',
  'home.step1': 'Create an account, then verify your email and phone number.',
  'home.step2': 'Complete your details and take the basic skills test.',
  'home.step3': 'Join a wave and wait for the selection.',
  'home.step4': 'If selected, buy your first training before the deadline.',
  'home.step5': 'Finish the training, rate it, and receive the incentive.',
  'home.cta': 'Register now',
  'home.have': 'Already have an account?',

  'reg.title': 'Create an account',
  'reg.intro': 'Fill in as on your ID card (KTP) and family card (KK). Every field is required.',
  'reg.account': 'Account',
  'reg.person': 'Personal details',
  'reg.domicile': 'Where you live',
  'reg.other': 'Education and work',
  'reg.submit': 'Register',
  'reg.sending': 'Sending…',
  'reg.fix': 'Please check the marked fields.',
  'field.password': 'Password',
  'field.password_hint': 'At least 8 characters.',
  'field.full_name': 'Full name (as on your ID card)',
  'field.nik_hint': 'The 16 digits on your ID card.',
  'field.kk': 'Family card number (KK)',
  'field.birth_date': 'Date of birth',
  'field.sex': 'Sex',
  'sex.F': 'Female',
  'sex.M': 'Male',
  'field.phone': 'Mobile number',
  'field.phone_hint': 'For example: 0812 3456 7890',
  'field.province': 'Province',
  'field.regency': 'Regency/city',
  'field.district': 'District',
  'field.village_code': 'Village',
  'field.education': 'Highest education',
  'field.occupation': 'Occupation',
  'field.choose': 'Choose…',
  'field.loading': 'Loading…',
  'field.show_password': 'Show password',
  'regions.failed': 'Could not load the list of regions.',
  'regions.retry': 'Try again',

  'edu.none': 'No schooling',
  'edu.sd': 'Primary school',
  'edu.smp': 'Junior high school',
  'edu.sma': 'Senior high school',
  'edu.smk': 'Vocational high school',
  'edu.diploma': 'Diploma (D1–D4)',
  'edu.s1': "Bachelor's degree",
  'edu.s2': "Master's degree",
  'edu.s3': 'Doctorate',
  'occ.unemployed': 'Not working',
  'occ.laid_off': 'Laid off',
  'occ.employee': 'Employee',
  'occ.entrepreneur': 'Entrepreneur',
  'occ.farmer_fisher': 'Farmer or fisher',
  'occ.informal_worker': 'Informal worker',
  'occ.student': 'Student',
  'occ.homemaker': 'Homemaker',
  'occ.civil_servant': 'Civil servant',
  'occ.military_police': 'Military or police',
  'occ.village_official': 'Village head or official',
  'occ.legislator': 'Member of parliament (DPR/DPRD)',
  'occ.soe_director': 'State-owned company director or commissioner',
  'occ.other': 'Other',

  'ver.title': 'Verify your account',
  'ver.intro': 'We sent a 6-digit code to your email and one to your phone. Enter both below.',
  'ver.email_code': 'Code from the email',
  'ver.phone_code': 'Code from the SMS',
  'ver.submit': 'Verify',
  'ver.resend': 'Send a new code',
  'ver.resent': 'A new code has been sent.',
  'ver.email_ok': 'Email verified.',
  'ver.phone_ok': 'Phone number verified.',
  'ver.done': 'Your account is verified. Please log in.',
  'ver.go_login': 'Log in',

  'login.title': 'Log in',
  'login.submit': 'Log in',
  'login.no_account': "Don't have an account?",
  'login.need': 'Please log in first.',

  'acc.title': 'My account',
  'acc.name': 'Name',
  'acc.phone': 'Mobile number',
  'acc.verified': 'verified',
  'acc.unverified': 'not verified',
  'acc.verify_now': 'Verify now',
  'acc.region': 'Domicile',
  'acc.logout': 'Log out',
  'acc.loading': 'Loading…',

  'net.error': 'Cannot reach the server. Check your connection and try again.',
  'net.busy': 'The server is busy. Please try again shortly.',
  'net.busy_in': 'The server is busy. Please try again in {s} seconds.',
  'net.unexpected': 'Something went wrong. Please try again.',
  'page.not_found': 'Page not found.',

  'field.required': 'Required.',
  'field.too_long': 'Too long.',
  'email.invalid': 'Not a valid email address.',
  'password.too_short': 'The password needs at least 8 characters.',
  'password.too_long': 'The password is too long.',
  'full_name.invalid': 'Not a valid name.',
  'nik.length': 'The NIK must be 16 digits.',
  'nik.not_digits': 'The NIK may contain digits only.',
  'nik.unknown_region': 'The region code in the NIK is unknown.',
  'nik.bad_birth_date': 'The birth date in the NIK is not valid.',
  'nik.serial_zero': 'The last four digits of the NIK cannot be 0000.',
  'kk.length': 'The family card number must be 16 digits.',
  'kk.not_digits': 'The family card number may contain digits only.',
  'kk.unknown_region': 'The region code in the family card number is unknown.',
  'kk.serial_zero': 'The last four digits of the family card number cannot be 0000.',
  'birth_date.invalid': 'Not a valid date of birth.',
  'birth_date.nik_mismatch': 'The date of birth does not match the NIK.',
  'sex.invalid': 'Choose your sex.',
  'sex.nik_mismatch': 'The sex does not match the NIK.',
  'phone.invalid': 'Not a valid mobile number. Example: 081234567890.',
  'village.unknown': 'Choose a village.',
  'education.invalid': 'Choose your highest education.',
  'occupation.invalid': 'Choose your occupation.',
  'account.nik_taken': 'This NIK is already registered.',
  'account.email_taken': 'This email is already registered.',
  'account.phone_taken': 'This mobile number is already registered.',
  'verify.bad_format': 'The code is 6 digits.',
  'verify.bad_code': 'Wrong code.',
  'verify.expired': 'The code has expired. Ask for a new one.',
  'verify.too_many_attempts': 'Too many attempts. Ask for a new code.',
  'verify.not_found': 'No code is waiting for this email.',
  'auth.bad_credentials': 'Wrong email or password.',
  'auth.throttled': 'Too many attempts. Try again later.',
  'auth.locked': 'The account is locked for a while. Try again later.',

  // issue 4: basic test, waves, card, waves admin
  'nav.waves': 'Waves',
  'nav.test': 'Test',
  'nav.card': 'My card',
  'nav.admin_waves': 'Manage waves',
  'acc.next': 'Next steps',
  'common.loading': 'Loading…',
  'common.retry': 'Try again',
  'common.sending': 'Sending…',

  'test.title': 'Basic Skills Test',
  'test.intro': 'The test has motivation, verbal and quantitative questions. You need to pass it to apply to a wave.',
  'test.rule_once': 'You can start the test once a day (days count in WIB, Jakarta time).',
  'test.rule_timed': 'It is timed. Once you press Start, the clock keeps running even if you close the page.',
  'test.rule_size': '{n} questions, {m} minutes, pass mark {p}.',
  'test.start': 'Start the test',
  'test.starting': 'Starting…',
  'test.time_left': 'Time left',
  'test.time_warn': '{m} minutes left.',
  'test.time_up': 'Time is up. Your answers are being sent.',
  'test.question': 'Question {i} of {n}',
  'cat.motivation': 'Motivation',
  'cat.verbal': 'Verbal',
  'cat.quantitative': 'Quantitative',
  'test.answered': '{a} of {n} questions answered.',
  'test.unanswered_warn': '{k} questions are unanswered. Press Submit answers again to send anyway.',
  'test.submit': 'Submit answers',
  'test.result': 'Your result',
  'test.score': 'Score',
  'test.correct': '{c} of {n} answers correct',
  'test.pass_mark': 'Pass mark',
  'test.passed': 'Passed',
  'test.failed': 'Not passed',
  'test.passed_note': 'Well done, you passed. You can now apply to a wave.',
  'test.failed_note': 'You did not pass this time. You can try again tomorrow.',
  'test.done_today': 'You already started a test today. You can start the next one tomorrow (WIB).',
  'test.already_passed': 'You have passed the basic skills test.',
  'test.elsewhere': "Today's test was started on another device or tab, so its questions cannot be shown here.",
  'test.history': 'Your attempts',
  'test.no_history': 'No attempts yet.',
  'test.not_submitted': 'not submitted',
  'test.in_progress': 'in progress',
  'test.go_waves': 'See the waves',

  'waves.title': 'Waves',
  'waves.intro': 'Kartu Prakerja takes applications in waves. All times are WIB (Jakarta time).',
  'waves.none': 'There are no waves yet.',
  'waves.wave': 'Wave {n}',
  'waves.opens': 'Opens',
  'waves.closes': 'Closes',
  'waves.quota': 'Quota',
  'waves.scheme': 'Scheme',
  'waves.people': '{n} people',
  'wstatus.scheduled': 'Scheduled',
  'wstatus.open': 'Open',
  'wstatus.closed': 'Closed',
  'wstatus.drawn': 'Drawn',
  'waves.apply': 'Apply to wave {n}',
  'waves.applying': 'Applying…',
  'waves.login_to_apply': 'Log in to apply',
  'waves.applied_here': 'You have applied to this wave.',
  'waves.staff_cannot': 'Staff accounts cannot apply to a wave.',
  'waves.need_test': 'Before applying, pass the basic skills test.',

  'app.title': 'Your application',
  'app.in_wave': 'Wave {n}',
  'astatus.submitted': 'Being checked',
  'astatus.eligible': 'Eligible, waiting for the draw',
  'astatus.ineligible': 'Not eligible',
  'astatus.selected': 'Selected',
  'astatus.not_selected': 'Not selected',
  'astatus.carried_over': 'Moved to the next wave',
  'app.checks': 'Eligibility checks',
  'app.checked_at': 'Checked {t}',
  'rule.age': 'Age',
  'rule.occupation': 'Occupation',
  'rule.education': 'Not in school or university',
  'rule.test': 'Basic skills test',
  'rule.verified': 'Email and phone verified',
  'rule.kk_limit': 'Limit per family card',
  'rule.first_time': 'Never a beneficiary before',
  'rule.not_revoked': 'Never had a membership revoked',
  'rule.exclusion': 'Not on an exclusion list',
  'rule.civil_registry': 'Civil registry (Dukcapil)',
  'rule.pass': 'Passed',
  'rule.fail': 'Not passed',
  'app.selected_note': 'Congratulations! You have been selected for a Kartu Prakerja.',
  'app.stage.regency': "Selected through your regency's quota.",
  'app.stage.province': "Selected through your province's remaining seats.",
  'app.stage.nation': 'Selected through the national remaining seats.',
  'app.see_card': 'See my card',
  'app.not_selected_note': 'You were not selected in this wave. You can join the next wave without applying again.',
  'app.carry_over': 'Join the next wave',
  'app.carried': 'You have been moved to wave {n}.',
  'app.wait_draw': 'The result is announced after the wave closes and is drawn.',
  'app.ineligible_note': 'You do not meet the conditions marked ✗.',
  'app.older': 'Earlier applications',
  'app.take_test': 'Take the test',
  'app.verify_now': 'Verify now',

  'card.title': 'My Kartu Prakerja',
  'card.none': "You do not have a Kartu Prakerja yet. Cards go to people selected in a wave's draw.",
  'card.number': 'Card number',
  'card.balance': 'Training balance',
  'card.of': 'of {x}',
  'card.deadline': 'Buy your first training by',
  'card.days_left': '{d} days left',
  'card.today': 'today',
  'card.passed': 'passed',
  'card.deadline_note': 'Buy your first training before this date, or your membership is revoked and the balance returns to the state.',
  'cstatus.active': 'Active',
  'cstatus.revoked': 'Revoked',
  'card.revoked_at': 'Revoked on',
  'card.wave': 'Wave',
  'card.scheme': 'Scheme',

  'adm.title': 'Manage waves',
  'adm.only': 'This page is for admins only.',
  'adm.create': 'Create a new wave',
  'adm.create_submit': 'Create the wave',
  'adm.list': 'Waves',
  'field.number': 'Wave number',
  'field.scheme': 'Scheme',
  'field.opens_at': 'Opens (WIB)',
  'field.closes_at': 'Closes (WIB)',
  'field.total_quota': 'Total quota',
  'field.quota_mode': 'Quota split',
  'qmode.proportional': 'Proportional to eligible applicants per regency',
  'qmode.csv': 'From a CSV list (regency code, quota)',
  'field.quota_floor': 'Minimum quota per regency',
  'field.quotas_csv': 'Quota per regency (CSV)',
  'hint.quotas_csv': 'One line per regency, for example "35.09,1200". They must add up to the total quota.',
  'field.quotas_file': 'Or load a CSV file',
  'field.spill_rule': 'Unfilled seats',
  'spill.regency': 'Stay in the regency',
  'spill.regency_province': 'Move to the province',
  'spill.regency_province_nation': 'Move to the province, then nationwide',
  'field.refill': 'Add revoked seats not yet refilled',
  'adm.seed_title': 'Save this seed',
  'adm.seed_warn': 'This is the draw seed of wave {n}. You need it for the draw. It is shown only this once and the server does not keep it (only its SHA-256 hash).',
  'adm.seed_lost_reply': "The server's reply was lost. If the wave was created, this is its seed; save it:",
  'adm.copy': 'Copy the seed',
  'adm.copied': 'Seed copied.',
  'adm.copy_failed': 'Could not copy automatically; select the text and copy it.',
  'adm.seed_saved': 'I have saved it',
  'adm.no_crypto': 'This browser cannot make a seed safely here (HTTPS is needed).',
  'adm.open': 'Open the wave',
  'adm.close': 'Close the wave',
  'adm.draw': 'Draw',
  'adm.working': 'Working…',
  'field.seed': 'Seed (64 hexadecimal characters)',
  'seed.invalid': 'The seed is 64 characters 0-9 or a-f.',
  'adm.audit': 'Download the draw audit file (CSV)',
  'adm.commitment': 'Seed commitment (SHA-256)',
  'adm.mode': 'Quota split',
  'adm.spill': 'Unfilled seats',
  'adm.refill_seats': 'Refill seats',
  'adm.drawn_at': 'Drawn',
  'adm.counts': 'Counts',
  'count.applications': 'Applications',
  'count.eligible': 'Eligible',
  'count.ineligible': 'Ineligible',
  'count.selected': 'Selected',
  'adm.stats': 'Draw result',
  'stat.eligible': 'Eligible applicants',
  'stat.seats': 'Seats',
  'stat.selected': 'Selected',
  'stat.selected_regency': 'Selected in their regency',
  'stat.selected_province': 'Selected in their province',
  'stat.selected_nation': 'Selected nationwide',
  'stat.unfilled': 'Unfilled seats',
  'number.invalid': 'Enter a positive whole number.',
  'number.negative': 'Enter a whole number, 0 or more.',
  'datetime.invalid': 'Enter a date and a time.',
  'closes_at.before_opens': 'The closing time must be after the opening time.',
  'file.too_big': 'The file is too big (1 MB at most).',
  'file.unreadable': 'The file cannot be read.',

  'test.once_a_day': 'You already started a test today. Try again tomorrow.',
  'test.already_submitted': 'The answers of this test were already sent.',
  'test.deadline_passed': 'The time for this test ran out; the answers were not scored.',
  'test.not_found': 'Test not found.',
  'wave.not_found': 'Wave not found.',
  'wave.number_taken': 'This wave number is already used.',
  'wave.bad_state': 'This cannot be done in the wave’s current state.',
  'wave.seed_mismatch': "The seed does not match this wave's commitment.",
  'wave.already_drawn': 'This wave has already been drawn.',
  'wave.not_open': 'This wave is not open.',
  'wave.none_open': 'No next wave is scheduled or open yet.',
  'application.already_open': 'You already have an application in another wave.',
  'application.not_carryable': 'This application cannot be moved.',
  'card.not_found': 'You do not have a Kartu Prakerja yet.',
  'auth.forbidden': 'You are not allowed to do this.',
};

const TABLES = { id, en };

function initial() {
  try {
    const saved = localStorage.getItem(STORE_KEY);
    if (LANGS.includes(saved)) return saved;
  } catch (_) { /* storage blocked: use the default */ }
  return 'id';
}

let current = typeof localStorage === 'undefined' ? 'id' : initial();

export function lang() {
  return current;
}

/** Sets and remembers the language; the caller re-renders. */
export function setLang(l) {
  if (!LANGS.includes(l)) return;
  current = l;
  try { localStorage.setItem(STORE_KEY, l); } catch (_) { /* not remembered, still used */ }
  if (typeof document !== 'undefined') document.documentElement.lang = l;
}

/** The text for key in the current language; {name} placeholders filled from vars. */
export function t(key, vars) {
  let s = TABLES[current][key] ?? id[key] ?? key;
  if (vars) for (const k of Object.keys(vars)) s = s.replace('{' + k + '}', String(vars[k]));
  return s;
}

/** Whether key has a text (in Indonesian at least). */
export function has(key) {
  return Object.prototype.hasOwnProperty.call(id, key);
}

// Formatting of what the API sends, the same way in both languages where the
// program's own conventions say so: rupiah as "Rp3.500.000", card numbers in groups
// of four, and times in WIB (Asia/Jakarta, UTC+7 all year, no daylight saving), so the
// offset is added by hand and no time-zone database is needed on the phone.

const MONTHS = {
  id: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};
const WIB_OFFSET = 7 * 3600;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Unix seconds of an ISO-8601 time with a zone ("2026-12-05T10:00:00Z"), or NaN. */
export function parseIso(s) {
  if (typeof s !== 'string' || s.length > 40) return NaN;
  const m = ISO_RE.exec(s);
  if (!m) return NaN;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : NaN;
}

function pad(n) {
  return String(n).padStart(2, '0');
}

function wibParts(sec) {
  const d = new Date((sec + WIB_OFFSET) * 1000);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(),
    hh: d.getUTCHours(), mi: d.getUTCMinutes() };
}

/** "5 Des 2026" (id) / "5 Dec 2026" (en): the WIB calendar day of an ISO time; '' if bad. */
export function formatWibDate(iso) {
  const s = parseIso(iso);
  if (!Number.isFinite(s)) return '';
  const p = wibParts(s);
  return `${p.d} ${MONTHS[current][p.m - 1]} ${p.y}`;
}

/** "5 Des 2026, 17.00 WIB" (id) / "5 Dec 2026, 17:00 WIB" (en); '' if bad. */
export function formatWib(iso) {
  const s = parseIso(iso);
  if (!Number.isFinite(s)) return '';
  const p = wibParts(s);
  const sep = current === 'id' ? '.' : ':';
  return `${formatWibDate(iso)}, ${pad(p.hh)}${sep}${pad(p.mi)} WIB`;
}

/** The WIB day number (days since 1970-01-01 in WIB) of Unix seconds. */
export function wibDay(sec) {
  return Math.floor((sec + WIB_OFFSET) / 86400);
}

/** Calendar days (WIB) from nowSec's day to the ISO time's day: 0 today, < 0 past, NaN if bad. */
export function wibDaysUntil(iso, nowSec) {
  const s = parseIso(iso);
  if (!Number.isFinite(s)) return NaN;
  return wibDay(s) - wibDay(nowSec);
}

/**
 * A datetime-local value ("2026-12-05T17:00", read as WIB) to ISO-8601 UTC
 * ("2026-12-05T10:00:00Z"); '' when it is not a real date and time.
 */
export function wibInputToIso(v) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(typeof v === 'string' ? v : '');
  if (!m) return '';
  const [y, mo, d, hh, mi, ss] = m.slice(1).map((x) => Number(x || 0));
  const ms = Date.UTC(y, mo - 1, d, hh, mi, ss);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d ||
      hh > 23 || mi > 59 || ss > 59 || y < 1970)
    return '';
  return new Date(ms - WIB_OFFSET * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Unix seconds as a datetime-local value in WIB ("2026-12-05T17:00"). */
export function wibInputValue(sec) {
  const p = wibParts(sec);
  return `${p.y}-${pad(p.m)}-${pad(p.d)}T${pad(p.hh)}:${pad(p.mi)}`;
}

/** An integer with dots between thousands ("800.000"); '' when n is not a safe integer. */
export function formatNumber(n) {
  if (!Number.isSafeInteger(n)) return '';
  const neg = n < 0;
  const s = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return neg ? '-' + s : s;
}

/** Integer rupiah as "Rp3.500.000" ("-Rp50.000" when negative); '' when not an integer. */
export function formatRupiah(n) {
  if (!Number.isSafeInteger(n)) return '';
  return (n < 0 ? '-Rp' : 'Rp') + formatNumber(Math.abs(n));
}

/** A card number in groups of four digits ("1234 5678 9012 3456"); other text as given. */
export function groupCard(s) {
  if (typeof s !== 'string') return '';
  return /^\d+$/.test(s) ? s.replace(/(\d{4})(?=\d)/g, '$1 ') : s;
}
