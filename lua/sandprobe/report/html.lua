-- Reports a person looks at: one self-contained HTML file (inline CSS and
-- SVG; no script, no font or image fetched from anywhere) for `run`,
-- `bench` and `doctor`, and for `sandprobe report FILE.json`.
--
--   html.render(run)                 -- a run report (the JSON report's fields, docs/report-schema.md)
--   html.render_bench(result)        -- sandprobe.bench's result table
--   html.render_doctor(checks, ok)   -- sandprobe.doctor's checks
--
-- Everything that comes from a scenario, a program or the daemon goes
-- through escape(), so no output of untrusted code can add markup; the
-- blocks holding it isolate their text direction, so bidirectional controls
-- in a program's output cannot reorder the page's own text around it. The
-- page prints: colours become borders and nothing depends on hovering.
local util = require("sandprobe.report.util")

local M = {}

-- Text as HTML character data or attribute value: made visible as in every
-- other format (report/util.lua, docs/report-schema.md "Bytes in reports":
-- valid UTF-8, controls as Control Pictures, ill-formed bytes as U+FFFD),
-- then the five characters that can end either are replaced, so that a
-- program's raw bytes cannot reach the parser as markup.
function M.escape(value)
  local s = util.visible(value)
  return (s:gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }))
end
local esc = M.escape

-- Names, details and evidence come from daemons and untrusted programs, so
-- any of them may be one unbreakable word: the body lets every line break
-- anywhere rather than push a box wider than its column.
local CSS = [[
*{box-sizing:border-box}
body{margin:0;overflow-wrap:anywhere;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d2430;background:#f5f6f8}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}
.meta{color:#566;font-size:12px}
.bar{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0;padding:10px;border-radius:8px;background:#fff;border:1px solid #d8dde5}
.bar .count{flex:1 1 110px;min-width:0;padding:6px 10px;border-radius:6px;border-left:6px solid #99a;background:#f8f9fb}
.count b{display:block;font-size:22px}
.verdict{flex:2 1 260px;min-width:0;font-weight:600;padding:6px 10px;align-self:center}
.pass{border-color:#1a7f37!important}.fail{border-color:#cf222e!important}.error{border-color:#bc4c00!important}
.skip,.none{border-color:#8c959f!important}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:10px}
.card{background:#fff;border:1px solid #d8dde5;border-top:6px solid #99a;border-radius:8px;padding:10px;min-width:0;break-inside:avoid}
.card h3{font-size:14px;margin:0 0 4px}.card p{margin:2px 0}
.status{display:inline-block;font-weight:700;font-size:12px;padding:1px 7px;border-radius:10px;border:2px solid #99a}
table{width:100%;border-collapse:collapse;table-layout:fixed;background:#fff}
th,td{border:1px solid #d8dde5;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eef1f5}
.scenario{background:#fff;border:1px solid #d8dde5;border-left:6px solid #99a;border-radius:6px;padding:8px 10px;margin:8px 0;break-inside:avoid}
.scenario h3{font-size:14px;margin:0}
dl{margin:6px 0 0}dt{font-weight:600;font-size:12px;color:#445}dd{margin:0 0 6px}
pre{margin:2px 0;padding:6px;background:#f3f4f6;border-radius:4px;white-space:pre-wrap;max-width:100%;font:12px/1.4 ui-monospace,"DejaVu Sans Mono",monospace;unicode-bidi:isolate}
dd,td,h3{unicode-bidi:isolate}
svg{display:block;max-width:100%;height:auto;background:#fff;border:1px solid #d8dde5;border-radius:8px}
svg text{font:11px system-ui,"DejaVu Sans",sans-serif;fill:#1d2430}
@media print{body{background:#fff}main{max-width:none;padding:0}.bar,.card,.scenario,svg{border-color:#000}
h2{break-after:avoid}a{color:inherit}}
]]

local function page(title, body)
  return table.concat {
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">",
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
    "<title>", esc(title), "</title><style>", CSS, "</style></head>\n<body><main>\n",
    body, "\n</main></body></html>\n",
  }
end

local function status_badge(status)
  return ("<span class=\"status %s\">%s</span>"):format(esc(status), esc(status:upper()))
end

local function summary_bar(counts, verdict, verdict_class)
  local out = { "<section class=\"bar\" id=\"summary\">" }
  for _, c in ipairs(counts) do
    out[#out + 1] = ("<div class=\"count %s\" data-count=\"%s\"><b>%s</b>%s</div>"):format(
      esc(c.class), esc(c.key), esc(c.value), esc(c.label))
  end
  out[#out + 1] = ("<div class=\"verdict %s\">%s</div></section>\n"):format(esc(verdict_class), esc(verdict))
  return table.concat(out)
end

-- ---- run reports -----------------------------------------------------------------

-- The five layers and the scenario tags that prove each.
M.LAYERS = {
  { tag = "layer1", name = "Layer 1", what = "Static validator" },
  { tag = "layer2", name = "Layer 2", what = "No network" },
  { tag = "layer3", name = "Layer 3", what = "Read-only filesystem" },
  { tag = "layer4", name = "Layer 4", what = "Seccomp profile" },
  { tag = "layer5", name = "Layer 5", what = "Cgroup limits" },
}

local function has_tag(r, tag)
  for _, t in ipairs(r.tags or {}) do
    if t == tag then return true end
  end
  return false
end

-- "pass" when every scenario with the tag passed (skips aside), "fail" or
-- "error" when one did not, "none" when no scenario proved it.
local function layer_verdict(results, tag)
  local verdict, ran, total = "none", 0, 0
  for _, r in ipairs(results) do
    if has_tag(r, tag) then
      total = total + 1
      if r.status ~= "skip" then ran = ran + 1 end
      if r.status == "fail" then verdict = "fail"
      elseif r.status == "error" and verdict ~= "fail" then verdict = "error"
      elseif r.status == "pass" and verdict == "none" then verdict = "pass" end
    end
  end
  return verdict, ran, total
end

local function layers_grid(results)
  local out = { "<h2>The five layers</h2><section class=\"grid\" id=\"layers\">" }
  for _, l in ipairs(M.LAYERS) do
    local verdict, ran, total = layer_verdict(results, l.tag)
    local label = verdict == "none" and "NOT RUN" or verdict:upper()
    out[#out + 1] = ("<div class=\"card layer %s\" data-layer=\"%s\" data-verdict=\"%s\"><h3>%s</h3><p>%s</p>"
      .. "<p><span class=\"status %s\">%s</span></p><p class=\"meta\">%d of %d scenarios ran</p></div>"):format(
      esc(verdict), esc(l.tag), esc(verdict), esc(l.name), esc(l.what), esc(verdict), esc(label), ran, total)
  end
  out[#out + 1] = "</section>\n"
  return table.concat(out)
end

-- Scenario x runtime, when the results carry several runtimes.
local function runtime_matrix(results)
  local runtimes, seen, rows, row_of = {}, {}, {}, {}
  for _, r in ipairs(results) do
    local rt = r.runtime
    if type(rt) == "string" and rt ~= "" then
      if not seen[rt] then seen[rt] = true; runtimes[#runtimes + 1] = rt end
      if not row_of[r.id] then
        row_of[r.id] = { id = r.id, cells = {} }
        rows[#rows + 1] = row_of[r.id]
      end
      row_of[r.id].cells[rt] = r.status
    end
  end
  if #runtimes < 2 then return "" end
  table.sort(runtimes)
  local out = { "<h2>Scenario &times; runtime</h2><table id=\"matrix\"><thead><tr><th>Scenario</th>" }
  for _, rt in ipairs(runtimes) do out[#out + 1] = "<th>" .. esc(rt) .. "</th>" end
  out[#out + 1] = "</tr></thead><tbody>"
  for _, row in ipairs(rows) do
    out[#out + 1] = "<tr><td>" .. esc(row.id) .. "</td>"
    for _, rt in ipairs(runtimes) do
      local st = row.cells[rt]
      out[#out + 1] = "<td data-runtime=\"" .. esc(rt) .. "\">" .. (st and status_badge(st) or "&ndash;") .. "</td>"
    end
    out[#out + 1] = "</tr>"
  end
  out[#out + 1] = "</tbody></table>\n"
  return table.concat(out)
end

local function scenario_article(r)
  local out = {
    ("<article class=\"scenario %s\" data-status=\"%s\"><h3>%s %s</h3><p>%s</p><p class=\"meta\">pack %s%s, %.2f s</p>"):format(
      esc(r.status), esc(r.status), status_badge(r.status), esc(r.id), esc(r.title),
      esc(r.pack), r.runtime and (", runtime " .. esc(r.runtime)) or "", tonumber(r.duration_s) or 0),
  }
  if r.message then out[#out + 1] = "<pre class=\"message\">" .. esc(r.message) .. "</pre>" end
  local keys = util.sorted_keys(r.evidence)
  if #keys > 0 then
    out[#out + 1] = "<dl class=\"evidence\">"
    for _, k in ipairs(keys) do
      out[#out + 1] = "<dt>" .. esc(k) .. "</dt><dd><pre>" .. esc(util.evidence_text(r.evidence[k])) .. "</pre></dd>"
    end
    out[#out + 1] = "</dl>"
  end
  if r.remediation and (r.status == "fail" or r.status == "error") then
    out[#out + 1] = "<p><b>Remediation:</b> " .. esc(r.remediation) .. "</p>"
  end
  out[#out + 1] = "</article>\n"
  return table.concat(out)
end

function M.render(run)
  local s = run.summary
  local ok = s.fail == 0 and s.error == 0
  local tool = run.tool or {}
  local body = {
    "<h1>sandprobe validation report</h1>",
    ("<p class=\"meta\">%s %s &middot; started %s &middot; %.2f s</p>\n"):format(
      esc(tool.name), esc(tool.version), esc(run.started), tonumber(run.duration_s) or 0),
    summary_bar({
      { key = "pass", class = "pass", value = s.pass, label = "passed" },
      { key = "fail", class = "fail", value = s.fail, label = "failed" },
      { key = "error", class = "error", value = s.error, label = "errors" },
      { key = "skip", class = "skip", value = s.skip, label = "skipped" },
      { key = "total", class = "none", value = s.total, label = "scenarios" },
    }, ok and "The sandbox held in every selected scenario." or "At least one scenario failed or could not run.",
      ok and "pass" or "fail"),
    layers_grid(run.results),
    runtime_matrix(run.results),
    "<h2>Scenarios</h2><section id=\"scenarios\">\n",
  }
  for _, r in ipairs(run.results) do body[#body + 1] = scenario_article(r) end
  body[#body + 1] = "</section>"
  return page("sandprobe validation report", table.concat(body))
end

-- ---- bench -----------------------------------------------------------------------

local CHART_W, ROW_H, LEFT, RIGHT, TOP = 760, 46, 190, 60, 26

local function ms(s) return s and ("%.1f ms"):format(s * 1000) or "-" end

-- One horizontal strip per series on a shared millisecond axis: a dot per
-- run (when the samples were kept), the p50 and p95 marked with ticks.
local function latency_chart(id, title, series)
  local max = 0
  for _, s in ipairs(series) do
    max = math.max(max, s.stats.max_s or 0, s.stats.p95_s or 0)
  end
  if max <= 0 then max = 0.001 end
  local height = TOP + #series * ROW_H + 30
  local function x(v) return LEFT + (CHART_W - LEFT - RIGHT) * (v / max) end
  local out = {
    ("<svg id=\"%s\" class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">"):format(
      esc(id), CHART_W, height, CHART_W, height, esc(title)),
    ("<text x=\"8\" y=\"16\" font-weight=\"bold\">%s</text>"):format(esc(title)),
  }
  for i, s in ipairs(series) do
    local y = TOP + (i - 1) * ROW_H + ROW_H / 2
    local st = s.stats
    out[#out + 1] = ("<text x=\"8\" y=\"%.1f\">%s</text>"):format(y + 4, esc(s.label))
    out[#out + 1] = ("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#d8dde5\"/>"):format(LEFT, y, CHART_W - RIGHT, y)
    for _, v in ipairs(st.samples_s or {}) do
      out[#out + 1] = ("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#57606a\" fill-opacity=\"0.55\"/>"):format(x(v), y)
    end
    for _, mark in ipairs({ { "p50", st.p50_s, "#1a7f37" }, { "p95", st.p95_s, "#cf222e" } }) do
      if mark[2] then
        local mx = x(mark[2])
        out[#out + 1] = ("<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2.5\"/>"):format(
          mark[1], mx, y - 12, mx, y + 12, mark[3])
        out[#out + 1] = ("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\">%s %s</text>"):format(
          mx, mark[1] == "p50" and y - 15 or y + 22, mark[3], mark[1], esc(ms(mark[2])))
      end
    end
  end
  local axis_y = TOP + #series * ROW_H + 4
  out[#out + 1] = ("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1d2430\"/>"):format(LEFT, axis_y, CHART_W - RIGHT, axis_y)
  for k = 0, 4 do
    local v = max * k / 4
    out[#out + 1] = ("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>"):format(x(v), axis_y + 16, esc(ms(v)))
  end
  out[#out + 1] = "</svg>\n"
  return table.concat(out)
end

local function stats_table(rows)
  local out = { "<table class=\"stats\"><thead><tr><th>Measurement</th><th>p50</th><th>p95</th><th>max</th><th>runs</th><th>errors</th></tr></thead><tbody>" }
  for _, r in ipairs(rows) do
    local s = r.stats
    out[#out + 1] = ("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>"):format(
      esc(r.label), esc(ms(s.p50_s)), esc(ms(s.p95_s)), esc(ms(s.max_s)), esc(s.runs or 0), esc(s.errors or 0))
  end
  out[#out + 1] = "</tbody></table>\n"
  return table.concat(out)
end

function M.render_bench(r)
  local met, total = 0, 0
  for _, t in ipairs(r.targets or {}) do
    total = total + 1
    if t.met then met = met + 1 end
  end
  local end_to_end = {
    { label = "docker run --rm (baseline)", stats = r.docker_run or {} },
    { label = "cold sandbox.run", stats = r.cold or {} },
    { label = "pooled sandbox.run", stats = r.pooled or {} },
  }
  local phases = {}
  for _, phase in ipairs(require("sandprobe.bench").PHASES) do
    phases[#phases + 1] = { label = "cold: " .. phase, stats = (r.cold and r.cold.phases or {})[phase] or {} }
  end
  local body = {
    "<h1>sandprobe bench</h1>",
    ("<p class=\"meta\">%s runs per measurement &middot; image %s &middot; pool %s</p>\n"):format(
      esc(r.runs), esc(r.image), esc(r.pool_size)),
    summary_bar({
      { key = "docker_run_p50", class = "none", value = ms((r.docker_run or {}).p50_s), label = "docker run p50" },
      { key = "cold_p50", class = "none", value = ms((r.cold or {}).p50_s), label = "cold p50" },
      { key = "pooled_p50", class = "none", value = ms((r.pooled or {}).p50_s), label = "pooled p50" },
      { key = "targets", class = met == total and "pass" or "fail", value = ("%d/%d"):format(met, total), label = "targets met" },
      { key = "orphans", class = r.orphans == 0 and "pass" or "fail", value = r.orphans, label = "containers left" },
    }, met == total and "Every target was met." or "Some targets were not met.", met == total and "pass" or "fail"),
    "<h2>Latency of a trivial program</h2>",
    latency_chart("chart-end-to-end", "End to end: docker run, cold and pooled (p50 green, p95 red)", end_to_end),
    stats_table(end_to_end),
    "<h2>Cold path by phase</h2>",
    latency_chart("chart-phases", "Cold path phases", phases),
    stats_table(phases),
    "<h2>Targets</h2><section class=\"grid\" id=\"targets\">",
  }
  for _, t in ipairs(r.targets or {}) do
    local value = type(t.value) == "number" and ("%.2f"):format(t.value) or tostring(t.value)
    body[#body + 1] = ("<div class=\"card %s\"><h3>%s</h3><p>%s</p><p class=\"meta\">target %s</p></div>"):format(
      t.met and "pass" or "fail", esc(t.name), esc(value), esc(t.target))
  end
  body[#body + 1] = "</section>"
  return page("sandprobe bench", table.concat(body))
end

-- ---- doctor ----------------------------------------------------------------------

function M.render_doctor(checks, ok)
  local failed = 0
  for _, c in ipairs(checks) do if not c.ok then failed = failed + 1 end end
  local body = {
    "<h1>sandprobe doctor</h1>",
    summary_bar({
      { key = "pass", class = "pass", value = #checks - failed, label = "checks passed" },
      { key = "fail", class = "fail", value = failed, label = "checks failed" },
    }, ok and "This machine is ready to prove sandboxes." or "Fix the failed checks below.", ok and "pass" or "fail"),
    "<h2>Checks</h2><section class=\"grid\" id=\"checks\">",
  }
  for _, c in ipairs(checks) do
    local cls = c.ok and "pass" or "fail"
    body[#body + 1] = ("<div class=\"card %s\" data-check=\"%s\"><h3>%s</h3><p>%s</p><p>%s</p>%s</div>"):format(
      cls, esc(c.id), esc(c.name), status_badge(cls), esc(c.detail),
      (not c.ok and c.remedy and c.remedy ~= "") and ("<p><b>Fix:</b> " .. esc(c.remedy) .. "</p>") or "")
  end
  body[#body + 1] = "</section>"
  return page("sandprobe doctor", table.concat(body))
end

return M
