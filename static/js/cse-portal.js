// CSE Portal front-end script (an ES module, loaded from base.html).
//
// 1. Starts GOV.UK Frontend's components (service navigation menu,
//    notification banners, error summaries, ...).
// 2. Session timeout warning, following the GOV.UK / HMRC timeout-warning
//    pattern: warn before the server signs an idle officer out, let them stay
//    signed in, and sign them out visibly when time runs out.

import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

const dialog = document.getElementById("timeout-warning");

if (dialog && typeof dialog.showModal === "function") {
  initTimeoutWarning(dialog);
}

function initTimeoutWarning(dialog) {
  const idleSeconds = Number(dialog.dataset.idleSeconds);
  const warningSeconds = Math.min(Number(dialog.dataset.warningSeconds), idleSeconds);
  const extendUrl = dialog.dataset.extendUrl;
  const timedOutUrl = dialog.dataset.timedOutUrl;
  if (!(idleSeconds > 0) || !(warningSeconds >= 0) || !extendUrl || !timedOutUrl) {
    return;
  }

  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announcement = dialog.querySelector("[data-timeout-announcement]");
  const stayButton = dialog.querySelector("[data-timeout-extend]");
  if (!countdown || !announcement || !stayButton) return;
  const EXTENDED = "extended";

  // The session idles from the last request, i.e. this page load. Deadlines
  // are wall-clock times, so a laptop waking from sleep or a throttled
  // background tab still acts on time.
  let expiresAt = 0;
  let lastAnnounced = "";
  let extending = false;

  function restart() {
    expiresAt = Date.now() + idleSeconds * 1000;
  }

  function secondsLeft() {
    return Math.max(0, Math.ceil((expiresAt - Date.now()) / 1000));
  }

  function plural(n, word) {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
  }

  // Exact time for the eye: "1 minute 5 seconds".
  function exactTime(seconds) {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    if (minutes === 0) return plural(rest, "second");
    return rest === 0 ? plural(minutes, "minute") : `${plural(minutes, "minute")} ${plural(rest, "second")}`;
  }

  // Rounded time for screen readers: whole minutes, then steps of 15 seconds,
  // so the polite live region is not read out every second.
  function roundedTime(seconds) {
    const rounded = seconds >= 60 ? Math.ceil(seconds / 60) * 60 : Math.ceil(seconds / 15) * 15;
    return rounded >= 60 ? plural(rounded / 60, "minute") : plural(rounded, "second");
  }

  function message(time) {
    return `We will sign you out in ${time} to protect the children's information. ` +
      "Any unsaved answers will be lost.";
  }

  function render(seconds) {
    countdown.textContent = exactTime(seconds);
    const spoken = message(roundedTime(seconds));
    if (spoken !== lastAnnounced) {
      announcement.textContent = spoken;
      lastAnnounced = spoken;
    }
  }

  function timedOut() {
    window.clearInterval(timer);
    window.location.assign(timedOutUrl);
  }

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  async function staySignedIn() {
    if (extending) return;
    extending = true;
    stayButton.disabled = true;
    try {
      const response = await fetch(extendUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
      });
      // A redirect (to sign-in) or an error means the session has already
      // ended on the server: show the signed-out page rather than pretend.
      if (!response.ok || response.redirected) {
        timedOut();
        return;
      }
      restart();
      if (dialog.open) dialog.close(EXTENDED);
    } catch (error) {
      // Network trouble: keep the warning open so the officer can try again
      // before the countdown runs out.
      console.error("Could not extend the session", error);
    } finally {
      extending = false;
      stayButton.disabled = false;
    }
  }

  function tick() {
    const seconds = secondsLeft();
    if (seconds <= 0) {
      timedOut();
    } else if (seconds <= warningSeconds) {
      render(seconds);
      if (!dialog.open) {
        dialog.returnValue = "";
        dialog.showModal();
      }
    }
  }

  stayButton.addEventListener("click", staySignedIn);

  // Escape (the dialog's "cancel" event) must not silently hide the warning
  // while the countdown carries on: that would sign the officer out without
  // them seeing why. Someone pressing Escape is clearly at the keyboard, so we
  // treat it as "Stay signed in" (as the HMRC timeout dialog does).
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });

  // Browsers may still force a dialog shut (for example Chrome when Escape is
  // pressed repeatedly). Any close we did not make ourselves also extends.
  dialog.addEventListener("close", () => {
    if (dialog.returnValue !== EXTENDED && secondsLeft() > 0) {
      staySignedIn();
    }
  });

  restart();
  const timer = window.setInterval(tick, 1000);
}
