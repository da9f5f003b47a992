// Progressive enhancement only: every page works without JavaScript.
// The language switcher submits on change; its button stays for keyboard and no-JS users.
document.addEventListener("DOMContentLoaded", function () {
  var select = document.getElementById("language-select");
  if (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  }
});
