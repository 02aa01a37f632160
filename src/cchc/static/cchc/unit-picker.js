// Unit pickers: a search box above every <select data-unit-picker> that narrows its options (grouped by parent in
// <optgroup>s) to those whose name, or whose group's name, contains the words typed — accents ignored, so
// "phan thiet" finds "Phan Thiết". No library, no CDN.
(function () {
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function setUp(select) {
    if (select.dataset.pickerReady) { return; }
    select.dataset.pickerReady = "1";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "unit-picker-search";
    input.placeholder = select.getAttribute("data-search-label") || "";
    input.setAttribute("aria-label", input.placeholder);
    if (select.id) { input.id = select.id + "-search"; }
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var first = null;
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var groupText = fold(group.label);
        var shown = 0;
        Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
          var text = fold(option.textContent) + " " + groupText;
          var match = words.every(function (w) { return text.indexOf(w) !== -1; });
          option.hidden = !match;
          option.disabled = !match;
          if (match) { shown += 1; if (!first) { first = option; } }
        });
        group.hidden = shown === 0;
      });
      Array.prototype.forEach.call(select.querySelectorAll(":scope > option"), function (option) {
        if (!option.value) { return; }
        var match = words.every(function (w) { return fold(option.textContent).indexOf(w) !== -1; });
        option.hidden = !match;
        option.disabled = !match;
        if (match && !first) { first = option; }
      });
      var current = select.options[select.selectedIndex];
      if (words.length && first && (!current || current.hidden || !current.value)) { select.value = first.value; }
      select.setAttribute("data-matches", String(select.querySelectorAll("option:not([hidden])").length));
    });
  }
  function all() { Array.prototype.forEach.call(document.querySelectorAll("select[data-unit-picker]"), setUp); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", all); } else { all(); }
  document.addEventListener("htmx:afterSwap", all);
})();
