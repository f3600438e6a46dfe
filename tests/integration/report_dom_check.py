"""Checks an HTML report as a real browser built it (tests/integration/test_report_html.sh).

  report_dom_check.py inject PAGE OUT        copy PAGE to OUT with the overflow probe added
  report_dom_check.py check KIND DOM [JSON]  structure of the DOM chromium dumped, against the
                                             JSON report it was rendered from (run, bench, doctor)
  report_dom_check.py overflow DOM           the probe's findings: none expected

Prints one line per finding and exits 1 on any.
"""
import json
import re
import sys
from html.parser import HTMLParser

# Measures, in the browser, every element against the viewport and its own
# box, and every SVG child against its SVG; writes the findings into the page.
PROBE = r"""<script>
(function () {
  var out = [], W = document.documentElement.clientWidth;
  function name(el) { return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && el.className.baseVal === undefined ? '.' + String(el.className).split(' ').join('.') : ''); }
  if (document.documentElement.scrollWidth > W + 1) out.push('page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + W);
  document.querySelectorAll('body *').forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    var svg = el.closest('svg');
    if (svg && svg !== el) {
      var s = svg.getBoundingClientRect();
      if (r.left < s.left - 1 || r.right > s.right + 1) out.push(name(el) + ' "' + el.textContent.slice(0, 30) + '" leaves its chart: ' + r.left.toFixed(1) + '..' + r.right.toFixed(1) + ' of ' + s.left.toFixed(1) + '..' + s.right.toFixed(1));
      return;
    }
    if (r.right > W + 1 || r.left < -1) out.push(name(el) + ' spans ' + r.left.toFixed(1) + '..' + r.right.toFixed(1) + ' of ' + W);
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) out.push(name(el) + ' content ' + el.scrollWidth + ' wider than its box ' + el.clientWidth);
  });
  var pre = document.createElement('pre');
  pre.id = 'sp-overflow';
  pre.textContent = out.length ? out.join('\n') : 'none';
  document.body.appendChild(pre);
})();
</script>"""


class Dom(HTMLParser):
    """Elements with their attributes, and the text under each id'd section."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, attrs, ancestors as (tag, id))
        self.stack = []
        self.text = []
        self.title = ""
        self.probe = None
        self.count_text = {}  # data-count -> the text of that summary entry

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a, [(t, x.get("id")) for t, x in self.stack]))
        if tag not in ("meta", "br", "link", "img", "input", "hr", "circle", "line", "path", "rect"):
            self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), [(t, x.get("id")) for t, x in self.stack]))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        self.text.append(data)
        if self.stack and self.stack[-1][0] == "title":
            self.title += data
        for _, a in self.stack:
            if "data-count" in a:
                self.count_text[a["data-count"]] = self.count_text.get(a["data-count"], "") + data
        if self.stack and self.stack[-1][1].get("id") == "sp-overflow":
            self.probe = (self.probe or "") + data

    def find(self, tag=None, **attrs):
        hits = []
        for t, a, anc in self.elements:
            if tag and t != tag:
                continue
            if all((k == "class_" and v in a.get("class", "").split()) or a.get(k) == v for k, v in attrs.items()):
                hits.append((t, a, anc))
        return hits


def load(path):
    d = Dom()
    d.feed(open(path, encoding="utf-8", errors="replace").read())
    return d


def visible(s):
    """What the page shows for an evidence string: the bytes primitive's
    visible text (engine/bytes.c, docs/report-schema.md "Bytes in reports"):
    C0 controls but tab and newline as Control Pictures, DEL as U+2421, C1
    controls and U+FFFE/U+FFFF as U+FFFD."""
    def picture(m):
        c = ord(m.group(0))
        if c == 0x7F:
            return "\u2421"
        if c < 0x20:
            return chr(0x2400 + c)
        return "\ufffd"
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\ufffe\uffff]", picture, s)


def common(d, problems):
    for bad in ("script", "img", "iframe", "object", "embed", "link", "form", "input", "a"):
        if d.find(bad):
            problems.append(f"a <{bad}> element is in the page")
    for t, a, anc in d.elements:
        for k in a:
            if k.startswith("on") or k in ("src", "href", "srcdoc", "action", "xlink:href"):
                problems.append(f"<{t}> has attribute {k}")
    styles = d.find("style")
    if len(styles) != 1 or ("head", None) not in styles[0][2]:
        problems.append("not exactly one <style>, in the head")
    if not d.find("section", id="summary"):
        problems.append("no summary bar (section#summary)")


def check_run(d, report, problems):
    if d.title != "sandprobe validation report":
        problems.append(f"title is {d.title!r}")
    layers = d.find("div", class_="layer")
    if [a.get("data-layer") for _, a, _ in layers] != ["layer1", "layer2", "layer3", "layer4", "layer5"]:
        problems.append("the layers grid does not hold the five layers in order")
    for _, a, _ in layers:
        if a.get("data-verdict") not in ("pass", "fail", "error", "none"):
            problems.append(f"layer {a.get('data-layer')} has verdict {a.get('data-verdict')!r}")
    articles = d.find("article", class_="scenario")
    results = report["results"]
    if len(articles) != len(results):
        problems.append(f"{len(articles)} scenario articles for {len(results)} results")
    for (_, a, _), r in zip(articles, results):
        if a.get("data-status") != r["status"]:
            problems.append(f"{r['id']}: article status {a.get('data-status')} != {r['status']}")
    s = report["summary"]
    for key in s:
        if not d.find("div", **{"data-count": key}):
            problems.append(f"summary bar lacks {key}")
    runtimes = {r.get("runtime") for r in results if r.get("runtime")}
    matrix = d.find("table", id="matrix")
    if (len(runtimes) >= 2) != bool(matrix):
        problems.append(f"{len(runtimes)} runtimes but matrix present={bool(matrix)}")
    if matrix:
        cells = d.find("td")
        for rt in runtimes:
            if not any(a.get("data-runtime") == rt for _, a, _ in cells):
                problems.append(f"matrix has no column for runtime {rt}")
    text = "".join(d.text)
    for r in results:
        for k, v in (r.get("evidence") or {}).items():
            if isinstance(v, str) and visible(v) not in text:
                problems.append(f"{r['id']}: evidence {k} is not shown as text: {v[:40]!r}")
    for key in s:
        shown = re.match(r"\s*(\d+)", d.count_text.get(key, ""))
        if not shown or int(shown.group(1)) != s[key]:
            problems.append(f"summary bar shows {d.count_text.get(key)!r} for {key}={s[key]}")


def check_bench(d, report, problems):
    if d.title != "sandprobe bench":
        problems.append(f"title is {d.title!r}")
    for chart in ("chart-end-to-end", "chart-phases"):
        if not d.find("svg", id=chart):
            problems.append(f"no svg#{chart}")
    p50 = [e for e in d.find("line", class_="p50")]
    p95 = [e for e in d.find("line", class_="p95")]
    series = 3 + len([k for k in report["cold"]["phases"] if k != "errors"])
    if len(p50) != series or len(p95) != series:
        problems.append(f"{len(p50)} p50 and {len(p95)} p95 marks for {series} series")
    samples = len(report["docker_run"].get("samples_s", [])) + len(report["cold"].get("samples_s", [])) + len(report["pooled"].get("samples_s", []))
    circles = len([e for e in d.find("circle") if ("svg", "chart-end-to-end") in e[2]])
    if circles != samples:
        problems.append(f"{circles} dots for {samples} end-to-end samples")


def check_bench_live(d, report, problems):
    """A page written live (no JSON beside it): charts with their marks and dots."""
    if d.title != "sandprobe bench":
        problems.append(f"title is {d.title!r}")
    for chart in ("chart-end-to-end", "chart-phases"):
        if not d.find("svg", id=chart):
            problems.append(f"no svg#{chart}")
    p50 = [e for e in d.find("line", class_="p50") if ("svg", "chart-end-to-end") in e[2]]
    p95 = [e for e in d.find("line", class_="p95") if ("svg", "chart-end-to-end") in e[2]]
    if len(p50) != 3 or len(p95) != 3:
        problems.append(f"{len(p50)} p50 and {len(p95)} p95 marks on the end-to-end chart (want 3 each)")
    circles = len([e for e in d.find("circle") if ("svg", "chart-end-to-end") in e[2]])
    if circles != 9:
        problems.append(f"{circles} dots on the end-to-end chart for 3 x 3 runs")


def check_doctor(d, report, problems):
    if d.title != "sandprobe doctor":
        problems.append(f"title is {d.title!r}")
    cards = [e for e in d.elements if "data-check" in e[1]]
    if len(cards) != len(report["checks"]):
        problems.append(f"{len(cards)} check cards for {len(report['checks'])} checks")


def main(argv):
    problems = []
    if argv[1] == "inject":
        page = open(argv[2], encoding="utf-8").read()
        # The probe needs script: the copy drops the page's own
        # Content-Security-Policy, which forbids any.
        page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
        open(argv[3], "w", encoding="utf-8").write(page.replace("</body>", PROBE + "</body>"))
        return 0
    if argv[1] == "overflow":
        d = load(argv[2])
        if d.probe is None:
            problems.append("the overflow probe did not run")
        elif d.probe.strip() != "none":
            problems.extend(d.probe.strip().splitlines())
    else:
        kind, d = argv[2], load(argv[3])
        report = json.load(open(argv[4], encoding="utf-8", errors="replace")) if len(argv) > 4 else None
        common(d, problems)
        {"run": check_run, "bench": check_bench, "bench-live": check_bench_live, "doctor": check_doctor}[kind](d, report, problems)
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
