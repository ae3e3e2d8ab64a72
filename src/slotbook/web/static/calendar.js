// The staff calendar's time grid: one department, a column per worker, drawn by the vendored
// EventCalendar from /dashboard/calendar/grid. A click (or tap) on a free time opens the new
// appointment form there; dragging an appointment moves it through /dashboard/calendar/move,
// which applies every booking rule; a refusal puts the appointment back and says why. From
// the keyboard: Tab reaches each appointment, Enter opens it (its page moves it to another
// time or worker). Times are the department's wall-clock times: the grid runs in "UTC" so
// the browser's own zone never shifts them (tests/e2e/test_front_desk.py runs the browser in
// Pacific/Auckland and America/New_York under `make test-dates`).
"use strict";

(() => {
  const box = document.getElementById("time-grid");
  const message = document.getElementById("grid-message");
  if (!box || !window.EventCalendar) return;
  const pad = (n) => String(n).padStart(2, "0");
  // The grid hands out wall-clock times as Dates whose local fields are that wall clock
  // (whatever the browser's own zone is): read them back the same way.
  const wall = (d) =>
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const say = (text, failed) => {
    message.textContent = text;
    message.classList.toggle("error", Boolean(failed));
    message.classList.toggle("notice", !failed && Boolean(text));
  };
  const phone = window.matchMedia("(max-width: 640px)");
  let pending = null; // the keyboard's chosen place: {id, column, minutes, when, resource}
  let moving = null; // the appointment whose keyboard move is being sent

  const start = async () => {
    let data;
    try {
      const response = await fetch(box.dataset.feed, { headers: { Accept: "application/json" } });
      data = await response.json();
      if (!response.ok) throw new Error(data.message || response.statusText);
    } catch (error) {
      say(`${box.dataset.failed} ${error.message || ""}`.trim(), true);
      return;
    }
    if (!data.complete) say(box.dataset.more.replace("{shown}", data.shown), false);
    const week = box.dataset.view === "week";
    // Readable columns that scroll sideways on a phone or in a wide week; else they fit.
    const columnWidth = () =>
      phone.matches || (week && data.resources.length > 3) ? "6rem" : undefined;
    // The version each appointment has now (If-Match of its next move).
    const versions = new Map(
      data.events.filter((e) => e.id).map((e) => [e.id, e.extendedProps.version]),
    );
    const calendar = window.EventCalendar.create(box, {
      view: week ? "resourceTimeGridWeek" : "resourceTimeGridDay",
      date: data.date,
      timeZone: "UTC",
      headerToolbar: { start: "", center: "", end: "" },
      resources: data.resources,
      events: data.events,
      datesAboveResources: week,
      allDaySlot: false,
      slotDuration: { minutes: data.slotMinutes },
      slotMinTime: data.slotMinTime,
      slotMaxTime: data.slotMaxTime,
      slotHeight: 28,
      height: "auto",
      firstDay: 1,
      nowIndicator: false,
      editable: true,
      eventDurationEditable: false,
      eventStartEditable: true,
      columnWidth: columnWidth(),
      dayHeaderFormat: { weekday: "short", day: "numeric", month: "short" },
      slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
      eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
      locale: document.documentElement.lang,
      eventContent: (info) => {
        const props = info.event.extendedProps;
        if (info.event.display === "background") return { html: "" };
        const wrap = document.createElement("span");
        const time = document.createElement("span");
        time.className = "ev-time";
        time.textContent = info.timeText;
        const name = document.createElement("span");
        name.className = "ev-name";
        name.textContent = info.event.title;
        wrap.append(time, " ", name);
        return { domNodes: [wrap, Object.assign(document.createElement("span"), {
          className: "visually-hidden", textContent: `, ${props.worker ? props.worker + ", " : ""}${props.status}`,
        })] };
      },
      eventDidMount: (info) => {
        const props = info.event.extendedProps;
        if (!props.url) return;
        const el = info.el;
        el.tabIndex = 0;
        el.setAttribute("role", "link");
        el.dataset.appointmentId = info.event.id;
        el.title = `${info.event.title} · ${props.status}. ${box.dataset.openLabel}`;
        el.addEventListener("keydown", (event) => keyboardMove(event, info.event, props));
      },
      eventClick: (info) => {
        const id = info.event.id;
        if ((pending && pending.id === id) || moving === id) return; // Enter confirms a move
        if (info.event.extendedProps.url) window.location.assign(info.event.extendedProps.url);
      },
      dateClick: (info) => {
        const resource = info.resource ? info.resource.id : "";
        const when = wall(info.date);
        const params = new URLSearchParams({
          date: when.slice(0, 10),
          time: when.slice(11, 16),
        });
        if (resource && resource !== "counters") params.set("worker", resource);
        window.location.assign(`${data.newUrl}&${params}`);
      },
      eventDrop: async (info) => {
        const target = info.newResource ? info.newResource.id : (info.event.resourceIds[0] ?? "");
        if (!(await move(info.event, wall(info.event.start), target))) info.revert();
      },
    });
    box.calendar = calendar;

    // Drop and keyboard alike: the reschedule use case, its refusal shown above the grid.
    async function move(ev, startsAt, resource) {
      const body = new URLSearchParams({
        csrf_token: box.dataset.csrf,
        appointment: ev.id,
        version: String(versions.get(ev.id) ?? ev.extendedProps.version),
        starts_at: startsAt,
        worker: String(resource),
      });
      say(box.dataset.moving, false);
      try {
        const response = await fetch("/dashboard/calendar/move", {
          method: "POST",
          body,
          headers: { Accept: "application/json" },
        });
        const answer = await response.json();
        if (!response.ok) throw new Error(answer.message || response.statusText);
        versions.set(ev.id, answer.version);
        say(answer.message, false);
        return true;
      } catch (error) {
        say(error.message, true);
        return false;
      }
    }

    // The keyboard's drag: arrows choose another time (up, down: a slot) or column (left,
    // right: the next worker, then the next day), Enter moves there, Escape gives up. Enter
    // with nothing chosen opens the appointment.
    const columns = [];
    const days = week ? 7 : 1;
    for (let d = 0; d < days; d++) {
      for (const r of data.resources) columns.push([d, r.id]);
    }
    const first = new Date(`${data.date}T00:00`);
    const describe = (ev, target) =>
      box.dataset.keyboardTarget
        .replace("{name}", ev.title)
        .replace("{when}", target.when.replace("T", " "))
        .replace("{worker}", data.resources.find((r) => r.id === target.resource)?.title ?? "");
    async function keyboardMove(event, ev, props) {
      const keys = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
      if (event.key === "Escape" && pending) {
        pending = null;
        say("", false);
        return;
      }
      if (event.key === "Enter") {
        if (!pending || pending.id !== ev.id) {
          window.location.assign(props.url); // Enter alone opens the appointment
          return;
        }
        event.preventDefault();
        const target = pending;
        moving = ev.id;
        pending = null;
        if (await move(ev, target.when, target.resource)) {
          sessionStorage.setItem("slotbook.moved", JSON.stringify([ev.id, message.textContent]));
          window.location.reload();
        }
        moving = null;
        return;
      }
      if (!(event.key in keys) || ev.extendedProps.url === undefined) return;
      event.preventDefault();
      const [dc, dt] = keys[event.key];
      if (!pending || pending.id !== ev.id) {
        const start = ev.start;
        const day = Math.round((new Date(start.getFullYear(), start.getMonth(), start.getDate()) - first) / 86400000);
        const resource = String(ev.resourceIds[0]);
        pending = {
          id: ev.id,
          column: columns.findIndex(([d, r]) => d === day && r === resource),
          minutes: start.getHours() * 60 + start.getMinutes(),
        };
      }
      pending.column = Math.min(columns.length - 1, Math.max(0, pending.column + dc));
      pending.minutes = Math.min(24 * 60 - data.slotMinutes, Math.max(0, pending.minutes + dt * data.slotMinutes));
      const [d, resource] = columns[pending.column];
      const when = new Date(first.getFullYear(), first.getMonth(), first.getDate() + d, 0, pending.minutes);
      pending.when = wall(when);
      pending.resource = resource;
      say(describe(ev, pending), false);
    }

    // After a keyboard move the page is drawn again: say so, and give the focus back.
    const moved = sessionStorage.getItem("slotbook.moved");
    if (moved) {
      sessionStorage.removeItem("slotbook.moved");
      const [id, text] = JSON.parse(moved);
      say(text, false);
      let tries = 0;
      const refocus = () => {
        const el = box.querySelector(`[data-appointment-id="${id}"]`);
        if (el) el.focus();
        else if (tries++ < 20) setTimeout(refocus, 50);
      };
      refocus();
    }
    phone.addEventListener("change", () => calendar.setOption("columnWidth", columnWidth()));
    // The grid's own table roles are incomplete (events and the toolbar sit between its rows),
    // which screen readers announce as a broken table. Without them it is a plain region whose
    // appointments are links, in time order; the list under the grid has every detail.
    const flatten = () => {
      box.querySelectorAll("[role=table],[role=row],[role=rowgroup],[role=cell],[role=columnheader]")
        .forEach((el) => el.removeAttribute("role"));
      box.querySelectorAll("[aria-colindex],[aria-colspan],[aria-rowindex]").forEach((el) => {
        ["aria-colindex", "aria-colspan", "aria-rowindex"].forEach((a) => el.removeAttribute(a));
      });
      // A grid wider than a phone scrolls sideways: the keyboard can scroll it too.
      box.querySelectorAll(".ec-main").forEach((el) => {
        if (el.scrollWidth > el.clientWidth && el.tabIndex < 0) el.tabIndex = 0;
      });
      box.querySelectorAll("aside").forEach((el) => el.setAttribute("role", "presentation"));
    };
    flatten();
    new MutationObserver(() => window.requestAnimationFrame(flatten)).observe(box, {
      childList: true,
      subtree: true,
    });
    box.dataset.ready = "true";
  };
  start();
})();
