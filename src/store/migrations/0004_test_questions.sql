-- 0004_test_questions: the question bank of the basic test (tes kemampuan dasar),
-- written for this project: 15 motivation, 15 verbal and 15 quantitative questions,
-- each in Bahasa Indonesia and English with four choices in the same order in
-- both languages. Motivation questions are situations at work or in training with
-- one clearly most constructive answer; verbal questions are analogies,
-- synonyms and antonyms in context, and reasoning from a short text, chosen so
-- the right answer is right in both languages; quantitative questions are
-- arithmetic, percentages, series and rupiah word problems (Indonesian text
-- writes rupiah as Rp3.500.000, English as Rp3,500,000).
-- Choices are joined by a newline inside one value (migration 0003); answer is the
-- 0-based index of the right choice and never leaves the server. A question is
-- retired by setting active = 0, never by deleting it: attempts refer to its id.

INSERT INTO test_questions (code, category, text_id, text_en, options_id, options_en, answer) VALUES
 ('mot-01', 'motivation',
  'Atasan Anda memberikan tugas baru yang belum pernah Anda kerjakan. Apa yang paling tepat Anda lakukan?',
  'Your supervisor gives you a new task that you have never done before. What is the best thing to do?',
  'Menolak tugas itu karena bukan keahlian Anda
Mempelajari tugas itu dan bertanya bila ada yang belum jelas
Menunda tugas itu sampai ada rekan yang mau mengerjakannya
Mengerjakannya asal-asalan agar cepat selesai',
  'Refuse the task because it is not your specialty
Learn about the task and ask when something is unclear
Put the task off until a colleague is willing to do it
Do it carelessly so that it is finished quickly',
  1),
 ('mot-02', 'motivation',
  'Anda membuat kesalahan dalam laporan yang sudah dikirim kepada atasan. Apa yang sebaiknya Anda lakukan?',
  'You made a mistake in a report that has already been sent to your supervisor. What should you do?',
  'Diam saja dan berharap tidak ada yang menyadarinya
Menyalahkan rekan yang memberikan datanya kepada Anda
Segera memberi tahu atasan dan mengirimkan perbaikannya
Menunggu sampai atasan menegur Anda',
  'Keep quiet and hope that nobody notices
Blame the colleague who gave you the data
Tell your supervisor at once and send a correction
Wait until your supervisor reprimands you',
  2),
 ('mot-03', 'motivation',
  'Dalam sebuah kerja kelompok, seorang anggota tim jarang menyelesaikan bagiannya. Apa langkah yang paling baik?',
  'In a group project, one team member rarely finishes their part. What is the best step?',
  'Mengajaknya berbicara untuk mengetahui kendalanya, lalu membagi ulang tugas bila perlu
Mengeluhkan dia kepada anggota tim yang lain
Diam-diam mengerjakan semua bagiannya tanpa membicarakannya
Ikut mengurangi usaha Anda sendiri',
  'Talk with them to find out what is holding them back, then share out the tasks again if needed
Complain about them to the other team members
Quietly do all of their part without discussing it
Cut back your own effort as well',
  0),
 ('mot-04', 'motivation',
  'Anda tidak lulus ujian akhir sebuah pelatihan. Apa tanggapan yang paling membangun?',
  'You did not pass the final exam of a training course. What is the most constructive response?',
  'Berhenti mengikuti pelatihan karena merasa tidak mampu
Menganggap soal ujiannya tidak adil
Melupakan hasilnya dan tidak memikirkannya lagi
Mempelajari bagian yang salah, lalu mencoba lagi',
  'Quit the course because you feel you are not capable
Decide that the exam questions were unfair
Forget the result and not think about it again
Study the parts you got wrong, then try again',
  3),
 ('mot-05', 'motivation',
  'Seorang pelanggan menyampaikan keluhan dengan nada marah. Bagaimana sikap yang paling tepat?',
  'A customer makes a complaint in an angry tone. What is the best attitude?',
  'Membalas dengan nada yang sama
Meninggalkan pelanggan itu
Menyuruhnya datang lagi lain kali
Mendengarkan dengan tenang, lalu mencari jalan keluar bersama',
  'Answer in the same tone
Walk away from the customer
Tell them to come back another time
Listen calmly, then look for a solution together',
  3),
 ('mot-06', 'motivation',
  'Anda mendapat dua tugas dengan tenggat yang sama dan tidak mungkin menyelesaikan keduanya tepat waktu. Apa yang paling tepat?',
  'You are given two tasks with the same deadline and cannot possibly finish both on time. What is the best thing to do?',
  'Mengerjakan yang paling mudah saja dan tidak menyinggung tugas yang lain
Mengerjakan keduanya setengah jadi
Membicarakan prioritasnya dengan atasan sejak awal
Mengambil cuti agar tidak perlu mengerjakannya',
  'Do only the easier one and say nothing about the other
Leave both of them half done
Discuss the priorities with your supervisor early on
Take leave so that you do not have to do them',
  2),
 ('mot-07', 'motivation',
  'Seorang rekan kerja baru belum paham cara memakai mesin kasir. Apa yang sebaiknya Anda lakukan?',
  'A new colleague does not yet understand how to use the cash register. What should you do?',
  'Menunjukkan caranya dengan sabar
Membiarkannya belajar sendiri dari kesalahannya
Melaporkannya kepada atasan sebagai pegawai yang tidak mampu
Mengambil alih semua pekerjaannya',
  'Show them how it works, patiently
Let them learn on their own from their mistakes
Report them to the supervisor as an incapable employee
Take over all of their work',
  0),
 ('mot-08', 'motivation',
  'Tempat kerja Anda mulai memakai aplikasi baru untuk mencatat penjualan. Apa sikap yang paling tepat?',
  'Your workplace starts using a new app to record sales. What is the best attitude?',
  'Tetap mencatat di buku karena sudah terbiasa
Menunggu orang lain memakainya lebih dulu
Mengeluh bahwa aplikasi itu menyulitkan
Mengikuti pelatihan cara memakainya dan mulai mencobanya',
  'Keep recording sales in a book because you are used to it
Wait for others to use it first
Complain that the app makes things harder
Take the training on how to use it and start trying it',
  3),
 ('mot-09', 'motivation',
  'Anda menemukan dompet berisi uang di ruang tunggu kantor. Apa yang sebaiknya Anda lakukan?',
  'You find a wallet with money in it in the office waiting room. What should you do?',
  'Mengambil uangnya dan membuang dompetnya
Membiarkannya tetap di tempat itu
Menyerahkannya kepada petugas keamanan atau bagian yang berwenang
Membagikan uangnya kepada rekan-rekan',
  'Take the money and throw the wallet away
Leave it where it is
Hand it to the security guard or the office in charge
Share the money with your colleagues',
  2),
 ('mot-10', 'motivation',
  'Atasan memberi masukan bahwa presentasi Anda terlalu panjang. Apa tanggapan yang paling baik?',
  'Your supervisor gives you feedback that your presentation was too long. What is the best response?',
  'Merasa tersinggung dan membela diri
Berterima kasih dan membuat presentasi berikutnya lebih ringkas
Tidak mau membuat presentasi lagi
Mengabaikannya karena itu hanya pendapat',
  'Feel offended and defend yourself
Thank them and make your next presentation shorter
Refuse to give presentations again
Ignore it because it is only an opinion',
  1),
 ('mot-11', 'motivation',
  'Anda akan terlambat tiba di tempat kerja karena ban motor Anda bocor. Apa yang paling tepat?',
  'You will be late for work because your motorbike has a flat tyre. What is the best thing to do?',
  'Segera mengabari atasan dan menyampaikan perkiraan waktu tiba
Tidak masuk kerja hari itu tanpa kabar
Datang terlambat tanpa memberi penjelasan
Meminta rekan berbohong bahwa Anda sudah datang',
  'Let your supervisor know at once and say when you expect to arrive
Stay away from work that day without telling anyone
Arrive late without giving any explanation
Ask a colleague to lie that you have already arrived',
  0),
 ('mot-12', 'motivation',
  'Dalam rapat tim, pendapat Anda berbeda dengan pendapat sebagian besar anggota. Apa yang paling tepat?',
  'In a team meeting, your opinion differs from that of most members. What is the best thing to do?',
  'Diam saja dan tidak ikut rapat berikutnya
Memaksa tim menerima pendapat Anda
Mengkritik keputusan itu di belakang tim setelah rapat
Menyampaikan alasan Anda dengan sopan, lalu menghormati keputusan bersama',
  'Stay silent and skip the next meeting
Force the team to accept your opinion
Criticise the decision behind the teams back after the meeting
Explain your reasons politely, then respect the joint decision',
  3),
 ('mot-13', 'motivation',
  'Pekerjaan Anda selesai lebih cepat daripada jadwal. Apa yang sebaiknya Anda lakukan?',
  'You have finished your work ahead of schedule. What should you do?',
  'Menawarkan bantuan kepada rekan atau menanyakan tugas berikutnya
Pulang lebih awal tanpa memberi tahu siapa pun
Bermain gim di ponsel sampai jam kerja usai
Berpura-pura sibuk agar tidak diberi tugas lagi',
  'Offer to help a colleague or ask for your next task
Go home early without telling anyone
Play games on your phone until the working day is over
Pretend to be busy so that you are not given more work',
  0),
 ('mot-14', 'motivation',
  'Anda berjualan makanan secara daring, dan ternyata satu pesanan terkirim keliru. Apa tindakan yang terbaik?',
  'You sell food online, and it turns out that one order was sent wrong. What is the best action?',
  'Mengabaikan pesan dari pembeli
Meminta maaf dan mengganti pesanan itu dengan yang benar
Meminta pembeli menerima saja pesanan itu
Menutup toko daring Anda untuk sementara',
  'Ignore the messages from the buyer
Apologise and replace the order with the right one
Ask the buyer to just accept the order
Close your online shop for a while',
  1),
 ('mot-15', 'motivation',
  'Anda ingin memperbesar peluang mendapat pekerjaan di bidang pemasaran digital. Langkah mana yang paling tepat?',
  'You want to improve your chances of getting a job in digital marketing. Which step is best?',
  'Menunggu lowongan datang dengan sendirinya
Melamar tanpa mempelajari bidang itu
Mengikuti pelatihan pemasaran digital dan mempraktikkannya untuk usaha kecil di sekitar Anda
Menyerah karena pesaingnya banyak',
  'Wait for a vacancy to come along by itself
Apply without learning about the field
Take a digital marketing course and put it into practice for small businesses near you
Give up because there are many competitors',
  2);

INSERT INTO test_questions (code, category, text_id, text_en, options_id, options_en, answer) VALUES
 ('ver-01', 'verbal',
  'DOKTER : RUMAH SAKIT = GURU : ...',
  'DOCTOR : HOSPITAL = TEACHER : ...',
  'Murid
Sekolah
Buku
Kapur',
  'Pupil
School
Book
Chalk',
  1),
 ('ver-02', 'verbal',
  'PETANI : SAWAH = NELAYAN : ...',
  'FARMER : RICE FIELD = FISHERMAN : ...',
  'Jaring
Ikan
Garam
Laut',
  'Net
Fish
Salt
Sea',
  3),
 ('ver-03', 'verbal',
  'AIR : HAUS = MAKANAN : ...',
  'WATER : THIRST = FOOD : ...',
  'Kenyang
Piring
Lapar
Dapur',
  'Fullness
Plate
Hunger
Kitchen',
  2),
 ('ver-04', 'verbal',
  'Kata yang paling dekat artinya dengan "cermat" adalah ...',
  'The word closest in meaning to "careful" is ...',
  'ceroboh
lambat
malas
teliti',
  'careless
slow
lazy
thorough',
  3),
 ('ver-05', 'verbal',
  'Lawan kata "hemat" adalah ...',
  'The opposite of "thrifty" is ...',
  'kikir
rajin
boros
kaya',
  'stingy
diligent
wasteful
rich',
  2),
 ('ver-06', 'verbal',
  'Dalam kalimat "Ia bekerja sebagai karyawan sementara", lawan kata "sementara" adalah ...',
  'In the sentence "She works as a temporary employee", the opposite of "temporary" is ...',
  'tetap
lama
muda
baru',
  'permanent
old
junior
new',
  0),
 ('ver-07', 'verbal',
  'Semua peserta pelatihan menerima sertifikat. Rina adalah peserta pelatihan. Kesimpulan yang benar adalah ...',
  'All training participants receive a certificate. Rina is a training participant. The correct conclusion is ...',
  'Rina tidak menerima sertifikat
Belum dapat disimpulkan apa pun
Semua penerima sertifikat bernama Rina
Rina menerima sertifikat',
  'Rina does not receive a certificate
Nothing can be concluded yet
Everyone who receives a certificate is called Rina
Rina receives a certificate',
  3),
 ('ver-08', 'verbal',
  'Sebagian pedagang di pasar itu menjual sayur. Pak Budi adalah pedagang di pasar itu. Kesimpulan yang paling tepat adalah ...',
  'Some of the traders at that market sell vegetables. Pak Budi is a trader at that market. The most accurate conclusion is ...',
  'Pak Budi pasti menjual sayur
Pak Budi pasti tidak menjual sayur
Pak Budi mungkin menjual sayur
Semua pedagang di pasar itu menjual sayur',
  'Pak Budi certainly sells vegetables
Pak Budi certainly does not sell vegetables
Pak Budi may sell vegetables
All the traders at that market sell vegetables',
  2),
 ('ver-09', 'verbal',
  'Aturan ujian: "Peserta yang terlambat lebih dari 15 menit tidak boleh mengikuti ujian." Andi datang terlambat 10 menit. Menurut aturan itu, pernyataan yang benar adalah ...',
  'An exam rule says: "Participants who are more than 15 minutes late may not sit the exam." Andi arrives 10 minutes late. According to the rule, which statement is true?',
  'Andi boleh mengikuti ujian
Andi tidak boleh mengikuti ujian
Andi harus mendaftar ulang
Andi harus menunggu 15 menit sebelum masuk',
  'Andi may sit the exam
Andi may not sit the exam
Andi must register again
Andi must wait 15 minutes before going in',
  0),
 ('ver-10', 'verbal',
  'Pengumuman: "Toko buka setiap hari kecuali hari Minggu, pukul 08.00 sampai 16.00." Pada hari apa toko itu tutup sepanjang hari?',
  'A notice says: "The shop is open every day except Sunday, from 08.00 to 16.00." On which day is the shop closed all day?',
  'Sabtu
Minggu
Senin
Jumat',
  'Saturday
Sunday
Monday
Friday',
  1),
 ('ver-11', 'verbal',
  'GUNTING : MEMOTONG = PENA : ...',
  'SCISSORS : CUT = PEN : ...',
  'Kertas
Tinta
Menulis
Membaca',
  'Paper
Ink
Write
Read',
  2),
 ('ver-12', 'verbal',
  'Dalam kalimat "Kendala utama usaha itu adalah modal", kata "kendala" paling dekat artinya dengan ...',
  'In the sentence "The main obstacle for the business is capital", the word "obstacle" is closest in meaning to ...',
  'keuntungan
tujuan
pelanggan
hambatan',
  'profit
goal
customer
hindrance',
  3),
 ('ver-13', 'verbal',
  '"Jika hujan turun, jalan di depan pasar tergenang air." Hari ini jalan di depan pasar tidak tergenang. Kesimpulan yang tepat adalah ...',
  '"If it rains, the road in front of the market floods." Today the road in front of the market is not flooded. The correct conclusion is ...',
  'Hari ini hujan turun
Hari ini hujan tidak turun
Jalan itu selalu tergenang
Pasar hari ini tutup',
  'It rained today
It did not rain today
That road is always flooded
The market is closed today',
  1),
 ('ver-14', 'verbal',
  'Kata manakah yang tidak termasuk dalam kelompoknya?',
  'Which word does not belong with the others?',
  'Mangga
Bayam
Pepaya
Jeruk',
  'Mango
Spinach
Papaya
Orange',
  1),
 ('ver-15', 'verbal',
  'Dewi lebih tinggi daripada Sari. Sari lebih tinggi daripada Tono. Siapakah yang paling pendek?',
  'Dewi is taller than Sari. Sari is taller than Tono. Who is the shortest?',
  'Dewi
Sari
Tono
Tidak dapat ditentukan',
  'Dewi
Sari
Tono
It cannot be determined',
  2);

INSERT INTO test_questions (code, category, text_id, text_en, options_id, options_en, answer) VALUES
 ('qnt-01', 'quantitative',
  'Berapakah hasil dari 125 + 375 - 150?',
  'What is 125 + 375 - 150?',
  '300
350
400
650',
  '300
350
400
650',
  1),
 ('qnt-02', 'quantitative',
  'Berapakah 15% dari Rp200.000?',
  'What is 15% of Rp200,000?',
  'Rp15.000
Rp20.000
Rp30.000
Rp45.000',
  'Rp15,000
Rp20,000
Rp30,000
Rp45,000',
  2),
 ('qnt-03', 'quantitative',
  'Bilangan berikutnya dari deret 2, 4, 8, 16, ... adalah ...',
  'The next number in the series 2, 4, 8, 16, ... is ...',
  '20
24
30
32',
  '20
24
30
32',
  3),
 ('qnt-04', 'quantitative',
  'Sebuah kemeja seharga Rp150.000 mendapat diskon 20%. Berapa harga yang harus dibayar?',
  'A shirt priced at Rp150,000 has a 20% discount. How much must be paid for it?',
  'Rp30.000
Rp120.000
Rp130.000
Rp170.000',
  'Rp30,000
Rp120,000
Rp130,000
Rp170,000',
  1),
 ('qnt-05', 'quantitative',
  'Rina membeli 3 kg beras seharga Rp14.000 per kg dan membayar dengan uang Rp50.000. Berapa uang kembaliannya?',
  'Rina buys 3 kg of rice at Rp14,000 per kg and pays with Rp50,000. How much change does she get?',
  'Rp4.000
Rp6.000
Rp8.000
Rp42.000',
  'Rp4,000
Rp6,000
Rp8,000
Rp42,000',
  2),
 ('qnt-06', 'quantitative',
  'Bilangan berikutnya dari deret 3, 7, 11, 15, ... adalah ...',
  'The next number in the series 3, 7, 11, 15, ... is ...',
  '18
19
20
22',
  '18
19
20
22',
  1),
 ('qnt-07', 'quantitative',
  'Sebuah pelatihan berlangsung 15 jam yang dibagi rata dalam 5 hari. Berapa jam pelatihan setiap hari?',
  'A training course lasts 15 hours, spread evenly over 5 days. How many hours of training are there each day?',
  '3
5
10
20',
  '3
5
10
20',
  0),
 ('qnt-08', 'quantitative',
  'Pendapatan sebuah warung naik dari Rp2.000.000 menjadi Rp2.500.000 per bulan. Berapa persen kenaikannya?',
  'The income of a small shop rises from Rp2,000,000 to Rp2,500,000 a month. By what percentage has it risen?',
  '5%
20%
25%
50%',
  '5%
20%
25%
50%',
  2),
 ('qnt-09', 'quantitative',
  'Seorang penjahit dapat menyelesaikan 4 kemeja dalam 1 hari. Berapa hari yang dibutuhkannya untuk menyelesaikan 36 kemeja?',
  'A tailor can finish 4 shirts in 1 day. How many days does the tailor need to finish 36 shirts?',
  '9
10
12
32',
  '9
10
12
32',
  0),
 ('qnt-10', 'quantitative',
  'Berapakah 3/4 dari 120?',
  'What is 3/4 of 120?',
  '30
40
80
90',
  '30
40
80
90',
  3),
 ('qnt-11', 'quantitative',
  'Seorang peserta menerima insentif Rp600.000 setiap bulan selama 4 bulan. Berapa jumlah insentif yang diterimanya?',
  'A participant receives an incentive of Rp600,000 every month for 4 months. What is the total incentive received?',
  'Rp1.200.000
Rp1.800.000
Rp2.000.000
Rp2.400.000',
  'Rp1,200,000
Rp1,800,000
Rp2,000,000
Rp2,400,000',
  3),
 ('qnt-12', 'quantitative',
  'Bilangan berikutnya dari deret 1, 4, 9, 16, 25, ... adalah ...',
  'The next number in the series 1, 4, 9, 16, 25, ... is ...',
  '30
36
40
49',
  '30
36
40
49',
  1),
 ('qnt-13', 'quantitative',
  'Saldo pelatihan Rp3.500.000 dipakai untuk membeli dua pelatihan seharga Rp1.250.000 dan Rp1.750.000. Berapa sisa saldonya?',
  'A training balance of Rp3,500,000 is used to buy two courses costing Rp1,250,000 and Rp1,750,000. How much of the balance is left?',
  'Rp500.000
Rp750.000
Rp1.000.000
Rp1.250.000',
  'Rp500,000
Rp750,000
Rp1,000,000
Rp1,250,000',
  0),
 ('qnt-14', 'quantitative',
  'Nilai tiga tes Budi adalah 70, 80, dan 90. Berapa nilai rata-ratanya?',
  'Budis scores in three tests are 70, 80 and 90. What is his average score?',
  '75
80
85
240',
  '75
80
85
240',
  1),
 ('qnt-15', 'quantitative',
  'Ibu Ani membeli 20 bungkus keripik seharga Rp5.000 per bungkus dan menjual semuanya seharga Rp7.000 per bungkus. Berapa keuntungannya?',
  'Mrs Ani buys 20 packs of crisps at Rp5,000 a pack and sells them all at Rp7,000 a pack. What is her profit?',
  'Rp20.000
Rp35.000
Rp40.000
Rp140.000',
  'Rp20,000
Rp35,000
Rp40,000
Rp140,000',
  2);
