// Behaviour that templates ask for with data attributes (no inline handlers: the Content-Security-Policy forbids
// them). data-autosubmit: submit the form when the field changes. data-navigate="/a/__value__/b/": go to that
// address with the field's value. A form with data-navigate="/a/__period__/" goes to that address with its fields.
(function () {
  function fill(template, form) {
    return template.replace(/__(\w+)__/g, function (_, name) {
      var field = form.elements ? form.elements[name] : null;
      return encodeURIComponent(field ? field.value : "");
    });
  }
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches("[data-autosubmit]") && field.form) {
      if (field.form.requestSubmit) { field.form.requestSubmit(); } else { field.form.submit(); }
    } else if (field.matches("select[data-navigate]")) {
      window.location = field.getAttribute("data-navigate").replace("__value__", encodeURIComponent(field.value));
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("form[data-navigate]")) {
      event.preventDefault();
      window.location = fill(form.getAttribute("data-navigate"), form);
    }
  });
})();
