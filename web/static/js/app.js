// Small progressive enhancements; every page works without them.
"use strict";

// A form with data-confirm asks before it is sent.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

// "Select all" checkboxes: <input type=checkbox data-select-all="name">.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!box.dataset || !box.dataset.selectAll) return;
  document.querySelectorAll(`input[type=checkbox][name="${box.dataset.selectAll}"]`)
    .forEach((other) => { other.checked = box.checked; });
});

// A running import polls its status and moves on when it is done: <div data-poll="/url">.
function poll(element) {
  const bar = element.querySelector("progress");
  const label = element.querySelector("[data-progress-label]");
  const tick = () => fetch(element.dataset.poll, { headers: { Accept: "application/json" } })
    .then((response) => response.json())
    .then((job) => {
      if (bar && job.percent !== null) bar.value = job.percent;
      if (label) label.textContent = job.label;
      if (job.finished) window.location.assign(job.next);
      else window.setTimeout(tick, 1000);
    })
    .catch(() => window.setTimeout(tick, 3000));
  tick();
}
document.querySelectorAll("[data-poll]").forEach(poll);

// --- officers: web/upload ---
// The column-layout list offers only the layouts made for the chosen kind of file.
document.querySelectorAll("select[data-kind-from]").forEach((select) => {
  const kind = document.getElementById(select.dataset.kindFrom);
  if (!kind) return;
  const filter = () => {
    select.querySelectorAll("option[data-kind]").forEach((option) => {
      const other = option.dataset.kind !== kind.value;
      option.hidden = other;
      option.disabled = other;
      if (other && option.selected) select.value = "";
    });
  };
  kind.addEventListener("change", filter);
  filter();
});
