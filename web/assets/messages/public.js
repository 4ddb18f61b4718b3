/* Texts of the public pages (forms, status, receipt). */
Desk.i18n.add({
  id: {
    "home.title": "Layanan e-Purchasing",
    "home.lead": "Pilih layanan yang Anda perlukan. Setiap permintaan mendapat nomor dan kode akses untuk memantau statusnya.",
    "home.complaint": "Pengaduan, saran, dan masukan",
    "home.complaint.text": "Sampaikan kendala, saran, atau masukan tentang e-Purchasing.",
    "home.registration": "Permintaan user ID",
    "home.registration.text": "Untuk pejabat K/L/PD dan penyedia yang berkontrak dengan LKPP, dengan surat tugas atau SK.",
    "home.training": "Permintaan pelatihan",
    "home.training.text": "Surat balasan dalam 5 hari kerja; pelatihan berlangsung 2 hari kerja.",
    "home.payment": "Bukti pembayaran",
    "home.payment.text": "Unggah bukti pembayaran setelah setiap transaksi.",
    "home.status": "Cek status permintaan",
    "home.status.text": "Dengan nomor permintaan dan kode akses Anda."
  },
  en: {
    "home.title": "e-Purchasing services",
    "home.lead": "Choose the service you need. Every request gets a number and an access code to follow its status.",
    "home.complaint": "Complaints, suggestions and input",
    "home.complaint.text": "Tell us about a problem, a suggestion or input about e-Purchasing.",
    "home.registration": "User ID request",
    "home.registration.text": "For officials of ministries, agencies and regional governments and for providers under contract with LKPP, with an assignment letter or SK.",
    "home.training": "Training request",
    "home.training.text": "A reply letter within 5 working days; training lasts 2 working days.",
    "home.payment": "Payment proof",
    "home.payment.text": "Upload the proof of payment after every transaction.",
    "home.status": "Check a request's status",
    "home.status.text": "With your request number and access code."
  }
});
