/* Rows of a Django formset typed in a table (templates: principal_selection/_rows.html).
 *
 * - "增加" clones the row <template> (the formset's empty form), numbering it from TOTAL_FORMS;
 * - "删除此行" empties the row's inputs and hides it: the server ignores an empty row;
 * - columns with a data-total cell in the footer are summed as the user types;
 * - in a form.cf-rows-form the figures are checked while typing: 实到 ≤ 应到 per row, each vote count
 *   ≤ the attended total, all votes ≤ attended × posts (data-posts). Messages come from the form's data-msg-*
 *   attributes (translated by the template). The server checks all of it again; this only warns early.
 * A new row's person pickers are set up (window.cfPersonPicker.init); a removed row loses its chosen people.
 */
(function () {
  "use strict";

  function number(input) {
    var v = parseInt(input && input.value, 10);
    return isNaN(v) ? 0 : v;
  }

  function liveRows(fieldset) {
    return Array.prototype.filter.call(fieldset.querySelectorAll("tbody tr.cf-row"), function (tr) {
      return !tr.hidden;
    });
  }

  function column(fieldset, name) {
    return liveRows(fieldset).map(function (tr) {
      return tr.querySelector('[data-row="' + name + '"]');
    }).filter(Boolean);
  }

  function sum(inputs) {
    return inputs.reduce(function (total, input) { return total + number(input); }, 0);
  }

  function updateTotals(fieldset) {
    fieldset.querySelectorAll("tfoot [data-total]").forEach(function (cell) {
      var inputs = liveRows(fieldset).map(function (tr) {
        return tr.querySelector('[name$="-' + cell.getAttribute("data-total") + '"]');
      }).filter(Boolean);
      cell.textContent = String(sum(inputs));
    });
  }

  function flag(input, message) {
    input.setCustomValidity(message || "");
    input.classList.toggle("cf-input--error", Boolean(message));
    input.setAttribute("aria-invalid", message ? "true" : "false");
    if (message) { input.title = message; } else { input.removeAttribute("title"); }
  }

  function check(form) {
    var voters = form.querySelector('[data-rows="voters"]');
    var votes = form.querySelector('[data-rows="votes"]');
    if (!voters || !votes) { return; }
    var attendedTotal = 0;
    liveRows(voters).forEach(function (tr) {
      var due = tr.querySelector('[data-row="due"]');
      var attended = tr.querySelector('[data-row="attended"]');
      if (!due || !attended) { return; }
      attendedTotal += number(attended);
      var over = attended.value !== "" && due.value !== "" && number(attended) > number(due);
      flag(attended, over ? form.getAttribute("data-msg-attended") : "");
    });
    var posts = parseInt(form.getAttribute("data-posts"), 10) || 1;
    var counts = column(votes, "votes");
    counts.forEach(function (input) {
      var over = input.value !== "" && number(input) > attendedTotal;
      flag(input, over ? form.getAttribute("data-msg-votes") : "");
    });
    var hint = votes.querySelector(".cf-row-hint");
    var tooMany = sum(counts) > attendedTotal * posts;
    if (hint) { hint.textContent = tooMany ? form.getAttribute("data-msg-total") : ""; }
    var voterHint = voters.querySelector(".cf-row-hint");
    if (voterHint) {
      var bad = column(voters, "attended").some(function (input) { return input.validationMessage; });
      voterHint.textContent = bad ? form.getAttribute("data-msg-attended") : "";
    }
  }

  function refresh(fieldset) {
    updateTotals(fieldset);
    var form = fieldset.closest("form.cf-rows-form");
    if (form) { check(form); }
  }

  function setUp(fieldset) {
    var prefix = fieldset.getAttribute("data-rows");
    var total = fieldset.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var template = fieldset.querySelector("template.cf-row-template");
    var body = fieldset.querySelector("tbody");
    var add = fieldset.querySelector(".cf-row-add");
    if (add && template && total) {
      add.addEventListener("click", function () {
        var index = parseInt(total.value, 10) || 0;
        var holder = document.createElement("tbody");
        holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
        var row = holder.firstElementChild;
        body.appendChild(row);
        total.value = String(index + 1);
        if (window.cfPersonPicker) { window.cfPersonPicker.init(row); }
        row.dispatchEvent(new CustomEvent("cf:row-added", { bubbles: true }));
        var first = row.querySelector("input:not([type=hidden]), select");
        if (first) { first.focus(); }
        refresh(fieldset);
      });
    }
    fieldset.addEventListener("click", function (event) {
      var button = event.target.closest(".cf-row-remove");
      if (!button) { return; }
      var row = button.closest("tr");
      row.querySelectorAll(".cf-picker__chip").forEach(function (chip) { chip.remove(); });
      row.querySelectorAll("input, select, textarea").forEach(function (input) {
        if (input.type === "checkbox" || input.type === "radio") { input.checked = false; } else { input.value = ""; }
        flag(input, "");
      });
      row.hidden = true;
      if (add) { add.focus(); }
      refresh(fieldset);
    });
    fieldset.addEventListener("input", function () { refresh(fieldset); });
    fieldset.addEventListener("change", function () { refresh(fieldset); });
    refresh(fieldset);
  }

  function start() {
    document.querySelectorAll("fieldset.cf-rows[data-rows]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
