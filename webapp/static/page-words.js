// The words a script writes on the page, in the page's language: the page carries them in
// a JSON block (id "ui-text", from webapp/language.py::script_text); each {name} in them is
// filled in here. A script never holds words of its own, only an English fallback.
(function () {
  "use strict";
  var words = null;
  window.coproduceSay = function (key, fallback, values) {
    if (words === null) {
      try { words = JSON.parse(document.getElementById("ui-text").textContent); } catch (e) { words = {}; }
    }
    var text = words[key] || fallback;
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]); });
    return text;
  };
})();
