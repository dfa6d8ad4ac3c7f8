// crossinspect's local page: plain script over the HTTP API of the same server (docs/api.md).
// Every text from the server is set with textContent, never parsed as HTML.
"use strict";

(function () {
  const T = JSON.parse(document.getElementById("words").textContent);
  const LANG = document.documentElement.dataset.lang;
  const TOKEN = document.querySelector('meta[name="crossinspect-token"]').content;
  // One job per tab: sessionStorage survives a reload but is not shared with other tabs.
  const JOB_KEY = "crossinspect-job";
  const FINISHED = ["done", "infeasible", "failed", "stopped"];
  const POLL_MS = 500;

  const $ = (id) => document.getElementById(id);
  let pollTimer = null;
  let currentJob = null;

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, (m, key) => (key in values ? String(values[key]) : m));
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function notice(text, kind) {
    const box = $("notice");
    box.textContent = text;
    box.className = "notice " + (kind || "info");
    box.hidden = !text;
  }

  async function call(method, url, body) {
    const sep = url.includes("?") ? "&" : "?";
    const options = { method: method, headers: { "X-Crossinspect-Token": TOKEN }, credentials: "same-origin" };
    if (body) options.body = body;
    const response = await fetch(url + sep + "lang=" + LANG, options);
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    return { status: response.status, data: data };
  }

  function inputForm(withRoster) {
    const form = new FormData();
    const workbook = $("workbook").files[0];
    if (!workbook) {
      notice(T.need_workbook, "bad");
      return null;
    }
    form.append("workbook", workbook);
    const rules = $("rules").files[0];
    if (rules) form.append("rules", rules);
    if (withRoster) {
      const roster = $("roster").files[0];
      if (!roster) {
        notice(T.need_roster, "bad");
        return null;
      }
      form.append("roster", roster);
    }
    return form;
  }

  function busy(on) {
    for (const id of ["check-btn", "solve-btn", "verify-btn", "render-btn"]) $(id).disabled = on;
  }

  function fillIssues(table, issues) {
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const item of issues) {
      const row = body.insertRow();
      for (const value of [item.file, item.sheet, item.row, item.column, item.message]) {
        row.appendChild(el("td", value === null || value === undefined ? "" : value));
      }
    }
  }

  function fillList(list, items) {
    list.replaceChildren();
    for (const item of items) list.appendChild(el("li", "[" + item.rule + "] " + item.message));
  }

  function serverError(result) {
    const detail = result.data && (result.data.message || result.data.error);
    notice(T.server_error + (detail || "HTTP " + result.status), "bad");
  }

  // ---- check ------------------------------------------------------------------------------

  function showWarnings(warnings) {
    $("warnings-block").hidden = !warnings.length;
    $("warnings-count").textContent = warnings.length ? "(" + warnings.length + ")" : "";
    fillIssues($("warnings"), warnings);
  }

  function showErrors(errors) {
    $("errors-block").hidden = !errors.length;
    fillIssues($("errors"), errors);
  }

  function showSummary(summary) {
    $("summary-block").hidden = !summary;
    if (!summary) return;
    $("summary-line").textContent = format(T.summary_line, summary);
    const table = $("summary");
    const head = table.tHead;
    head.replaceChildren();
    const hr = head.insertRow();
    hr.appendChild(el("th", T.county));
    hr.appendChild(el("th", T.cadres, "num"));
    for (const role of summary.roles) hr.appendChild(el("th", role.label, "num"));
    hr.appendChild(el("th", T.targets, "num"));
    const body = table.tBodies[0];
    body.replaceChildren();
    const totals = { cadres: 0, targets: 0 };
    for (const pool of summary.pools) {
      const row = body.insertRow();
      row.appendChild(el("td", pool.county));
      row.appendChild(el("td", pool.cadres, "num"));
      for (const role of summary.roles) {
        row.appendChild(el("td", pool.roles[role.key], "num"));
        totals[role.key] = (totals[role.key] || 0) + pool.roles[role.key];
      }
      row.appendChild(el("td", pool.targets, "num"));
      totals.cadres += pool.cadres;
      totals.targets += pool.targets;
    }
    const foot = table.tFoot || table.createTFoot();
    foot.replaceChildren();
    const fr = foot.insertRow();
    fr.appendChild(el("td", T.total));
    fr.appendChild(el("td", totals.cadres, "num"));
    for (const role of summary.roles) fr.appendChild(el("td", totals[role.key], "num"));
    fr.appendChild(el("td", totals.targets, "num"));
    const sanctions = $("sanctions");
    sanctions.replaceChildren();
    for (const s of summary.sanctions) sanctions.appendChild(el("li", T.sanctions + "：" + s.cadre_id + " " + s.message));
    sanctions.hidden = !summary.sanctions.length;
  }

  async function check() {
    const form = inputForm(false);
    if (!form) return;
    busy(true);
    notice(T.working, "info");
    try {
      const result = await call("POST", "/api/check", form);
      if (result.status !== 200 || !result.data) return serverError(result);
      const data = result.data;
      $("check-result").hidden = false;
      const message = $("check-message");
      message.replaceChildren();
      notice("");
      if (data.errors.length) {
        message.appendChild(el("p", format(T.check_errors, { n: data.errors.length }), "message-bad"));
      } else if (data.findings.length) {
        message.appendChild(el("p", T.check_infeasible, "message-bad"));
      } else {
        message.appendChild(el("p", T.check_ok, "message-ok"));
      }
      showErrors(data.errors);
      $("findings").hidden = !data.findings.length;
      fillList($("findings"), data.findings);
      showSummary(data.summary);
      showWarnings(data.warnings);
    } catch (e) {
      notice(T.server_error + e, "bad");
    } finally {
      busy(false);
    }
  }

  // ---- solve --------------------------------------------------------------------------

  async function solve() {
    const form = inputForm(false);
    if (!form) return;
    const seed = $("seed").value.trim();
    const limit = $("time-limit").value.trim();
    if (seed) form.append("seed", seed);
    if (limit) form.append("time_limit", limit);
    busy(true);
    try {
      const result = await call("POST", "/api/solve", form);
      if (result.status === 400 && result.data) {
        $("check-result").hidden = false;
        $("check-message").replaceChildren(el("p", format(T.check_errors, { n: result.data.errors.length }),
          "message-bad"));
        showErrors(result.data.errors);
        notice("");
        return;
      }
      if (result.status !== 202 || !result.data) return serverError(result);
      follow(result.data.job);
    } catch (e) {
      notice(T.server_error + e, "bad");
    } finally {
      busy(false);
    }
  }

  function follow(job) {
    currentJob = job;
    sessionStorage.setItem(JOB_KEY, job);
    $("job").hidden = false;
    $("result").hidden = true;
    $("explanation").hidden = true;
    $("relaxed-note").hidden = true;
    $("check-result").hidden = true;
    $("stop-btn").disabled = false;
    poll();
  }

  async function poll() {
    clearTimeout(pollTimer);
    const job = currentJob;
    if (!job) return;
    let result;
    try {
      result = await call("GET", "/api/jobs/" + encodeURIComponent(job));
    } catch (e) {
      notice(T.server_error + e, "bad");
      pollTimer = setTimeout(poll, POLL_MS * 4);
      return;
    }
    if (job !== currentJob) return;
    if (result.status === 404) {
      sessionStorage.removeItem(JOB_KEY);
      currentJob = null;
      $("job").hidden = true;
      notice(T.job_lost, "warn");
      return;
    }
    if (result.status !== 200 || !result.data) return serverError(result);
    showJob(result.data);
    if (!FINISHED.includes(result.data.status)) pollTimer = setTimeout(poll, POLL_MS);
  }

  function number(value) {
    return value === null || value === undefined ? "—" : String(Math.round(value * 100) / 100);
  }

  function showJob(data) {
    const status = $("job-status");
    status.textContent = T["status_" + data.status];
    status.className = "badge " + data.status;
    $("job").dataset.status = data.status;
    $("job-files").textContent = format(T.job_files, data) + (data.rules ? format(T.job_rules, data) : "");
    const message = $("job-message");
    message.textContent = data.message;
    message.className = { done: "message-ok", infeasible: "message-bad", failed: "message-bad" }[data.status] || "";
    const running = !FINISHED.includes(data.status);
    $("stop-btn").hidden = !running;
    const p = data.progress;
    $("progress").hidden = !running;
    $("p-phase").textContent = p.phase_text;
    $("p-objective").textContent = number(p.objective);
    $("p-bound").textContent = number(p.bound);
    $("p-elapsed").textContent = format(T.seconds, { s: p.elapsed.toFixed(1) });
    $("p-left").textContent = p.time_left === null ? "—" : format(T.seconds, { s: p.time_left.toFixed(1) });
    const share = p.time_limit ? Math.min(1, p.elapsed / p.time_limit) : running ? 0 : 1;
    $("meter-fill").style.width = Math.round(share * 100) + "%";

    if (data.errors.length) {
      $("check-result").hidden = false;
      $("check-message").replaceChildren(el("p", data.message, "message-bad"));
      showErrors(data.errors);
      $("findings").hidden = true;
      showSummary(null);
      showWarnings(data.warnings);
    }
    showRelaxed(data.relaxations);
    showResult(data);
    showExplanation(data);
    notice("");
  }

  function showRelaxed(applied) {
    const box = $("relaxed-note");
    box.hidden = !applied.length;
    if (!applied.length) return;
    box.replaceChildren(el("strong", T.relaxed_note));
    const list = el("ul", null, "findings");
    for (const a of applied) {
      list.appendChild(el("li", a.message + " " + (a.as_rules ? T.relaxed_rules : T.relaxed_problem)));
    }
    box.appendChild(list);
  }

  function showResult(data) {
    const box = $("result");
    box.hidden = !data.roster;
    if (!data.roster) return;
    const link = $("download");
    link.href = data.roster + "?lang=" + LANG;
    link.setAttribute("download", data.filename);
    const r = data.result;
    if (!r) return;
    const gap = r.gap === null ? "—" : (r.gap * 100).toFixed(1) + "%";
    $("result-line").textContent = [T.result_status + "：" + r.status_text, T.objective_final + "：" + number(r.objective),
      T.bound + "：" + number(r.bound), T.gap + "：" + gap, T.seed_used + "：" + r.seed,
      T.runtime + "：" + format(T.seconds, { s: r.runtime })].join("　");
    $("reproducible-note").hidden = r.reproducible;
    $("reproducible-note").textContent = r.reproducible ? "" : T.reproducible_no + r.not_reproducible;
    const table = $("teams");
    table.tHead.replaceChildren();
    const hr = table.tHead.insertRow();
    const roles = ["leader", "deputy", "liaison", "member"];
    const labels = { leader: LANG === "zh" ? "组长" : "Leader", deputy: LANG === "zh" ? "副组长" : "Deputy",
      liaison: LANG === "zh" ? "联络员" : "Liaison", member: LANG === "zh" ? "组员" : "Members" };
    for (const h of [T.col_team, T.col_target, T.col_location]) hr.appendChild(el("th", h));
    for (const role of roles) hr.appendChild(el("th", labels[role]));
    hr.appendChild(el("th", T.col_size, "num"));
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const team of r.teams) {
      const row = body.insertRow();
      for (const v of [team.team, team.target, team.location]) row.appendChild(el("td", v));
      for (const role of roles) row.appendChild(el("td", team.roles[role]));
      row.appendChild(el("td", team.size, "num"));
    }
  }

  function showExplanation(data) {
    const box = $("explanation");
    const e = data.explanation;
    box.hidden = !e;
    if (!e) return;
    fillList($("why"), e.findings);
    $("why").hidden = !e.findings.length;
    $("core-block").hidden = !e.core.length;
    fillList($("core"), e.core);
    const list = $("relaxations");
    list.replaceChildren();
    if (!e.relaxations.length) list.appendChild(el("li", T.relax_none));
    for (const r of e.relaxations) {
      const item = el("li");
      item.appendChild(el("span", r.message));
      const button = el("button", T.relax_apply, "primary relax-btn");
      button.type = "button";
      button.dataset.key = r.key;
      button.addEventListener("click", () => relax(data.job, r.key));
      item.appendChild(button);
      list.appendChild(item);
    }
  }

  async function relax(job, key) {
    const form = new FormData();
    form.append("key", key);
    const result = await call("POST", "/api/jobs/" + encodeURIComponent(job) + "/relax", form);
    if (result.status !== 202 || !result.data) return serverError(result);
    follow(result.data.job);
  }

  async function stop() {
    if (!currentJob) return;
    $("stop-btn").disabled = true;
    $("job-message").textContent = T.stopping;
    await call("POST", "/api/jobs/" + encodeURIComponent(currentJob) + "/stop");
    poll();
  }

  // ---- verify and render a hand-edited roster -------------------------------------------

  async function verify(render) {
    const form = inputForm(true);
    if (!form) return;
    busy(true);
    notice(T.working, "info");
    try {
      const result = await call("POST", render ? "/api/render" : "/api/verify", form);
      if (result.status !== 200 || !result.data) return serverError(result);
      const data = result.data;
      $("verify-result").hidden = false;
      const message = $("verify-message");
      message.replaceChildren();
      const table = $("violations");
      table.hidden = true;
      $("render-row").hidden = true;
      if (data.errors.length) {
        message.appendChild(el("p", format(T.check_errors, { n: data.errors.length }), "message-bad"));
        $("check-result").hidden = false;
        $("check-message").replaceChildren(el("p", format(T.check_errors, { n: data.errors.length }),
          "message-bad"));
        showErrors(data.errors);
        showSummary(null);
        notice("");
        return;
      }
      const n = data.violations.length;
      if (n) {
        const text = format(render ? T.render_violations : T.verify_bad, { n: n });
        message.appendChild(el("p", text, "message-bad"));
        const body = table.tBodies[0];
        body.replaceChildren();
        for (const v of data.violations) {
          const row = body.insertRow();
          row.appendChild(el("td", v.rule));
          row.appendChild(el("td", v.message));
        }
        table.hidden = false;
      } else {
        message.appendChild(el("p", format(T.verify_ok, data), "message-ok"));
      }
      if (render && data.file) {
        // Written either way, as on the command line; one that breaks rules says so on itself.
        const changes = data.changes === null ? T.render_changes_unknown
          : data.changes.length ? format(T.render_changes, { n: data.changes.length }) : T.render_no_changes;
        message.appendChild(el("p", changes));
        if (!n) message.appendChild(el("p", T.render_ok));
        const link = $("render-download");
        link.href = data.file;
        link.setAttribute("download", data.filename);
        $("render-row").hidden = false;
      }
      notice("");
    } catch (e) {
      notice(T.server_error + e, "bad");
    } finally {
      busy(false);
    }
  }

  $("check-btn").addEventListener("click", check);
  $("solve-btn").addEventListener("click", solve);
  $("stop-btn").addEventListener("click", stop);
  $("verify-btn").addEventListener("click", () => verify(false));
  $("render-btn").addEventListener("click", () => verify(true));

  // A reload finds this tab's job again.
  const saved = sessionStorage.getItem(JOB_KEY);
  if (saved) {
    currentJob = saved;
    $("job").hidden = false;
    poll();
  }
})();
