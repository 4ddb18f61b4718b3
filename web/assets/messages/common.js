/* Texts every page shares. The catalogue is the union of the files in this folder. */
Desk.i18n.add({
  id: {
    "site.name": "Layanan e-Purchasing LKPP",
    "site.skip": "Lompat ke isi",
    "site.language": "English",
    "site.home": "Beranda",
    "site.status": "Cek status",
    "site.staff": "Konsol petugas",
    "site.footer": "Direktorat Pengembangan Sistem Katalog, LKPP. Layanan ini tidak dipungut biaya.",
    "error.unexpected": "Terjadi kesalahan. Silakan coba lagi.",
    "error.offline": "Tidak dapat terhubung. Periksa koneksi Anda lalu coba lagi.",
    "form.fix": "Periksa isian yang ditandai.",
    "form.required": "wajib diisi",
    "form.sending": "Mengirim…",
    "upload.sending": "Mengunggah {percent}%",
    "upload.checking": "Berkas sedang diperiksa…",
    "upload.accepted": "Berkas diterima.",
    "upload.rejected": "Berkas ditolak.",
    "upload.failed": "Berkas gagal diunggah. Silakan coba lagi.",
    "upload.slow": "Pemeriksaan berkas terlalu lama. Silakan coba lagi."
  },
  en: {
    "site.name": "LKPP e-Purchasing Service Desk",
    "site.skip": "Skip to content",
    "site.language": "Bahasa Indonesia",
    "site.home": "Home",
    "site.status": "Check status",
    "site.staff": "Staff console",
    "site.footer": "Directorate of Catalogue System Development, LKPP. This service is free of charge.",
    "error.unexpected": "Something went wrong. Please try again.",
    "error.offline": "Cannot connect. Check your connection and try again.",
    "form.fix": "Please correct the marked fields.",
    "form.required": "required",
    "form.sending": "Sending…",
    "upload.sending": "Uploading {percent}%",
    "upload.checking": "Checking the file…",
    "upload.accepted": "File accepted.",
    "upload.rejected": "File refused.",
    "upload.failed": "The upload failed. Please try again.",
    "upload.slow": "Checking the file is taking too long. Please try again."
  }
});
