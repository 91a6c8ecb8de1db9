/* Person picker (cadres.picker): an ARIA 1.2 combobox over GET /registry/people/search/.
 *
 * Keyboard: type to search; ↓/↑ move through the results; Enter chooses; Escape closes the list (a second
 * Escape clears the text); Backspace in an empty box removes the last chosen person. Every chosen person is a
 * chip holding a hidden input with the signed value the form receives. No library; all texts come from the
 * widget's data-msg-* attributes (translated on the server).
 */
(function () {
  "use strict";

  var DELAY = 200;

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  function Picker(root) {
    this.root = root;
    this.name = root.getAttribute("data-name");
    this.multiple = root.getAttribute("data-multiple") === "1";
    this.input = root.querySelector(".cf-picker__input");
    this.listbox = root.querySelector(".cf-picker__listbox");
    this.chips = root.querySelector(".cf-picker__chips");
    this.status = root.querySelector(".cf-picker__status");
    this.results = [];
    this.active = -1;
    this.timer = null;
    this.seq = 0;
    this.bind();
    root.setAttribute("data-cf-picker-ready", "");
    // A name typed before the script ran (a slow page, a Turbo visit) is searched now rather than lost.
    if (this.input.value) this.schedule();
  }

  Picker.prototype.msg = function (key) {
    return this.root.getAttribute("data-msg-" + key) || "";
  };

  Picker.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () {
      self.schedule();
    });
    this.input.addEventListener("keydown", function (event) {
      self.onKey(event);
    });
    this.input.addEventListener("blur", function () {
      window.setTimeout(function () {
        self.close();
      }, 150);
    });
    this.input.addEventListener("focus", function () {
      if (!self.status.textContent) self.status.textContent = self.msg("hint");
    });
    this.listbox.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the focus in the text box
    });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) self.choose(Number(option.getAttribute("data-index")));
    });
    this.chips.addEventListener("click", function (event) {
      var button = event.target.closest(".cf-picker__remove");
      if (button) {
        self.removeChip(button.closest(".cf-picker__chip"));
        self.input.focus();
      }
    });
  };

  Picker.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    var q = this.input.value.trim();
    if (!q) {
      this.close();
      return;
    }
    this.timer = window.setTimeout(function () {
      self.search(q);
    }, DELAY);
  };

  Picker.prototype.search = function (q) {
    var self = this;
    var seq = ++this.seq;
    var url = new URL(this.root.getAttribute("data-url"), window.location.href);
    url.searchParams.set("q", q);
    this.root.setAttribute("aria-busy", "true");
    fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (reply) {
        if (seq !== self.seq) return; // an older answer arriving late
        self.root.removeAttribute("aria-busy");
        if (!reply.ok) {
          self.show([], reply.body.error || self.msg("error"));
          return;
        }
        self.show(reply.body.results || [], null);
      })
      .catch(function () {
        if (seq !== self.seq) return;
        self.root.removeAttribute("aria-busy");
        self.show([], self.msg("error"));
      });
  };

  Picker.prototype.show = function (results, error) {
    var self = this;
    this.results = results;
    this.active = results.length ? 0 : -1;
    this.listbox.textContent = "";
    results.forEach(function (hit, index) {
      var li = document.createElement("li");
      li.id = self.listbox.id + "-" + index;
      li.className = "cf-picker__option";
      li.setAttribute("role", "option");
      li.setAttribute("data-index", String(index));
      var name = document.createElement("span");
      name.className = "cf-picker__option-name";
      name.textContent = hit.name;
      var rest = document.createElement("span");
      rest.className = "cf-picker__option-detail";
      rest.textContent = hit.label.slice(hit.name.length).replace(/^ · /, "");
      li.appendChild(name);
      li.appendChild(rest);
      self.listbox.appendChild(li);
    });
    if (!results.length) {
      var empty = document.createElement("li");
      empty.className = "cf-picker__empty";
      empty.setAttribute("aria-disabled", "true");
      empty.textContent = error || this.msg("empty");
      this.listbox.appendChild(empty);
    }
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.status.textContent = error || (results.length ? fmt(this.msg("count"), { n: results.length }) : this.msg("empty"));
    this.highlight();
  };

  Picker.prototype.highlight = function () {
    var options = this.listbox.querySelectorAll("[role=option]");
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute("aria-selected", i === this.active ? "true" : "false");
    }
    if (this.active >= 0 && options[this.active]) {
      this.input.setAttribute("aria-activedescendant", options[this.active].id);
      options[this.active].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  Picker.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  Picker.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  Picker.prototype.onKey = function (event) {
    var n = this.results.length;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!this.isOpen()) {
          if (this.input.value.trim()) this.search(this.input.value.trim());
          return;
        }
        if (n) this.active = (this.active + 1) % n;
        this.highlight();
        break;
      case "ArrowUp":
        event.preventDefault();
        if (this.isOpen() && n) {
          this.active = (this.active - 1 + n) % n;
          this.highlight();
        }
        break;
      case "Enter":
        if (this.isOpen()) {
          event.preventDefault(); // never submit the form from the search box
          if (this.active >= 0) this.choose(this.active);
        } else if (this.input.value.trim()) {
          event.preventDefault();
        }
        break;
      case "Escape":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = "";
        }
        break;
      case "Backspace":
        if (!this.input.value) {
          var chips = this.chips.querySelectorAll(".cf-picker__chip");
          if (chips.length) {
            event.preventDefault();
            this.removeChip(chips[chips.length - 1]);
          }
        }
        break;
      default:
        break;
    }
  };

  Picker.prototype.choose = function (index) {
    var hit = this.results[index];
    if (!hit) return;
    var existing = this.chips.querySelectorAll(".cf-picker__chip");
    if (!this.multiple) {
      for (var i = 0; i < existing.length; i++) existing[i].remove();
    } else {
      for (var j = 0; j < existing.length; j++) {
        if (existing[j].getAttribute("data-value") === hit.value) {
          this.reset();
          return; // already chosen
        }
      }
    }
    this.chips.appendChild(this.chip(hit.value, hit.label));
    this.reset();
    this.status.textContent = hit.label;
    this.root.dispatchEvent(new CustomEvent("cf-picker:change", { bubbles: true, detail: { value: hit.value } }));
  };

  Picker.prototype.reset = function () {
    this.input.value = "";
    this.results = [];
    this.close();
    this.input.focus();
  };

  Picker.prototype.chip = function (value, label) {
    var li = document.createElement("li");
    li.className = "cf-picker__chip";
    li.setAttribute("data-value", value);
    var span = document.createElement("span");
    span.className = "cf-picker__chip-label";
    span.textContent = label;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cf-picker__remove";
    button.tabIndex = -1;
    button.setAttribute("aria-label", fmt(this.msg("remove"), { label: label }));
    button.textContent = "×";
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = this.name;
    hidden.value = value;
    li.appendChild(span);
    li.appendChild(button);
    li.appendChild(hidden);
    return li;
  };

  Picker.prototype.removeChip = function (chip) {
    if (!chip) return;
    var label = chip.querySelector(".cf-picker__chip-label");
    chip.remove();
    this.status.textContent = label ? fmt(this.msg("removed"), { label: label.textContent }) : "";
    this.root.dispatchEvent(new CustomEvent("cf-picker:change", { bubbles: true, detail: { value: null } }));
  };

  function init(scope) {
    var roots = (scope || document).querySelectorAll("[data-cf-picker]");
    for (var i = 0; i < roots.length; i++) {
      if (!roots[i].cfPicker) roots[i].cfPicker = new Picker(roots[i]);
    }
  }

  window.cfPersonPicker = { init: init };
  // viewflow's pages navigate with Turbo: the body changes without a new DOMContentLoaded.
  document.addEventListener("turbo:load", function () {
    init(document);
  });
  document.addEventListener("turbo:render", function () {
    init(document);
  });
  document.addEventListener("turbo:frame-load", function (event) {
    init(event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  } else {
    init(document);
  }
})();
