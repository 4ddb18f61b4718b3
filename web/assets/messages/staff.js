/* Texts of the staff console. */
Desk.i18n.add({
  id: {},
  en: {}
});
