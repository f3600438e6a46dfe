/* Fuzzes every report writer with arbitrary bytes in every text a scenario
 * or a program controls (id, title, message, evidence keys and values, log,
 * remediation, tags), and checks each output with a parser of its format:
 *   json      cJSON in the engine's state (the bytes come back exactly, from
 *             the text or its <key>_base64), plus UTF-8 and control checks
 *   junit     libxml2: well-formed, and valid against the tests' JUnit XSD
 *   tap       the TAP 13 line grammar: a plan, exactly that many test
 *             points numbered in order, YAML blocks indented
 *   markdown  cmark-gfm with the table extension: no raw HTML, no link or
 *             image, one table row per scenario (plus the header)
 *   text      valid UTF-8, no control character but newline
 *   html      valid UTF-8 with no raw control character, and libxml2's HTML
 *             parser finds only the elements the writer makes (no script,
 *             img, iframe, link...), no event-handler or URL attribute, one
 *             <style> and one <title>, and one scenario article per scenario
 * The writers are Lua; the target embeds one engine state (engine.h). */
#include "sandprobe/bytes.h"
#include "sandprobe/engine.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <lauxlib.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SCENARIOS 4

static const char RENDER_ALL[] =
    "local bytes, json = require('bytes'), require('json')\n"
    "return function(input)\n"
    "  local half = #input // 2\n"
    "  local a, b = input:sub(1, half), input:sub(half + 1)\n"
    "  local results = {}\n"
    "  for i, status in ipairs { 'pass', 'fail', 'error', 'skip' } do\n"
    "    results[i] = { id = 'f' .. i .. a, pack = 'p' .. b, title = input, tags = { 't', b },\n"
    "      status = status, duration_s = i / 8, started_s = i / 16, message = input,\n"
    "      evidence = { out = input, ['k' .. a] = b, list = { input, { deep = a } } },\n"
    "      log = { b }, remediation = a }\n"
    "  end\n"
    "  local run = { schema = 1, tool = { name = 'sandprobe', version = '0' },\n"
    "    started = '2026-01-01T00:00:00.000Z', duration_s = 1, results = results,\n"
    "    summary = { pass = 1, fail = 1, error = 1, skip = 1, total = 4 } }\n"
    "  local out = {}\n"
    "  for _, f in ipairs { 'json', 'junit', 'tap', 'markdown', 'text', 'html' } do\n"
    "    out[#out + 1] = require('sandprobe.report.' .. f).render(run, { colour = false })\n"
    "  end\n"
    "  local doc = assert(json.decode(out[1]), 'the JSON report does not parse')\n"
    "  local r = doc.results[2]\n"
    "  local title = r.title_base64 and assert(bytes.unbase64(r.title_base64)) or r.title\n"
    "  if r.title_base64 or not input:find('\\0', 1, true) then\n"
    "    assert(title == input, 'the title did not come back exactly')\n"
    "  end\n"
    "  assert((r.title_base64 ~= nil) == not bytes.valid_utf8(input), 'base64 exactly when invalid UTF-8')\n"
    "  return table.unpack(out)\n"
    "end\n";

static lua_State *L;
static xmlSchemaPtr junit_schema;

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_reports: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

static void xml_quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("SANDPROBE_HOME", SANDPROBE_FUZZ_DATA_DIR, 0);
    char err[256];
    L = sp_engine_new_state(err, sizeof err);
    if (L == NULL)
        die("no engine state", err);
    if (luaL_loadstring(L, RENDER_ALL) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK)
        die("cannot load the renderer", lua_tostring(L, -1));
    lua_setglobal(L, "render_all");
    xmlSetGenericErrorFunc(NULL, xml_quiet);
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(SANDPROBE_JUNIT_XSD);
    junit_schema = pc ? xmlSchemaParse(pc) : NULL;
    xmlSchemaFreeParserCtxt(pc);
    if (junit_schema == NULL)
        die("cannot load the JUnit XSD", SANDPROBE_JUNIT_XSD);
    cmark_gfm_core_extensions_ensure_registered();
    return 0;
}

/* Valid UTF-8 with no control character but those allowed. */
static void check_text(const char *format, const char *s, size_t len, const char *allowed)
{
    if (!sp_utf8_valid(s, len))
        die(format, "not valid UTF-8");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 || c == 0x7f) && strchr(allowed, c) == NULL)
            die(format, "a raw control character");
    }
}

static void check_junit(const char *s, size_t len)
{
    xmlDocPtr doc = xmlReadMemory(s, (int)len, "junit.xml", "UTF-8", XML_PARSE_NONET);
    if (doc == NULL)
        die("junit", "not well-formed XML");
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(junit_schema);
    int rc = vc ? xmlSchemaValidateDoc(vc, doc) : -1;
    xmlSchemaFreeValidCtxt(vc);
    xmlFreeDoc(doc);
    if (rc != 0)
        die("junit", "not valid against the JUnit XSD");
}

/* TAP 13: "TAP version 13", "1..N", then test points "ok K - ..." /
 * "not ok K - ..." numbered 1..N, each "not ok" followed by a YAML block
 * ("  ---" ... "  ..."); nothing else. */
static void check_tap(const char *s)
{
    const char *p = s;
    if (strncmp(p, "TAP version 13\n1..4\n", 20) != 0)
        die("tap", "no header and plan");
    p += 20;
    int expected = 1, in_yaml = 0;
    while (*p) {
        const char *eol = strchr(p, '\n');
        if (eol == NULL)
            die("tap", "a line without its newline");
        int k = 0, n = 0;
        if (in_yaml) {
            if (strncmp(p, "  ", 2) != 0)
                die("tap", "a YAML line not indented");
            if (eol - p == 5 && strncmp(p, "  ...", 5) == 0)
                in_yaml = 0;
        } else if (eol - p == 5 && strncmp(p, "  ---", 5) == 0) {
            in_yaml = 1;
        } else if ((sscanf(p, "ok %d - %n", &k, &n) == 1 || sscanf(p, "not ok %d - %n", &k, &n) == 1) &&
                   n > 0) {
            if (k != expected++)
                die("tap", "test points out of order");
        } else {
            die("tap", "a line that is neither a test point nor YAML");
        }
        p = eol + 1;
    }
    if (expected != SCENARIOS + 1 || in_yaml)
        die("tap", "not one test point per scenario");
}

static void check_markdown(const char *s, size_t len)
{
    cmark_parser *parser = cmark_parser_new(CMARK_OPT_DEFAULT);
    cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension("table"));
    cmark_parser_feed(parser, s, len);
    cmark_node *doc = cmark_parser_finish(parser);
    cmark_iter *it = cmark_iter_new(doc);
    int rows = 0;
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        const char *type = cmark_node_get_type_string(cmark_iter_get_node(it));
        if (!strcmp(type, "html_block") || !strcmp(type, "html_inline"))
            die("markdown", "raw HTML");
        if (!strcmp(type, "link") || !strcmp(type, "image"))
            die("markdown", "a link or image injected");
        if (!strcmp(type, "table_row") || !strcmp(type, "table_header"))
            rows++;
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    cmark_parser_free(parser);
    if (rows != SCENARIOS + 1)
        die("markdown", "not one table row per scenario");
}

/* The elements the HTML writer (lua/sandprobe/report/html.lua) makes,
 * HTML and inline SVG; anything else in the parsed page came from the input. */
static const char *const HTML_ELEMENTS[] = {
    "html", "head", "meta",  "title", "style", "body",  "main",  "section", "div",    "span",
    "h1",   "h2",   "h3",    "p",     "b",     "pre",   "dl",    "dt",      "dd",     "article",
    "table", "thead", "tbody", "tr",  "th",    "td",    "svg",   "text",    "line",   "circle",
    NULL,
};

static int is_writer_element(const char *name)
{
    for (int i = 0; HTML_ELEMENTS[i] != NULL; i++)
        if (strcmp(HTML_ELEMENTS[i], name) == 0)
            return 1;
    return 0;
}

/* An attribute that runs script or fetches something. */
static int is_active_attribute(const char *name)
{
    static const char *const urls[] = {"src", "href", "srcdoc", "action", "formaction", "xlink:href",
                                       "style", "srcset", "poster", "background", NULL};
    if ((name[0] == 'o' || name[0] == 'O') && (name[1] == 'n' || name[1] == 'N'))
        return 1;
    for (int i = 0; urls[i] != NULL; i++)
        if (strcasecmp(urls[i], name) == 0)
            return 1;
    return 0;
}

struct html_counts {
    int style, title, scenario_articles;
};

static void check_html_node(xmlNodePtr node, struct html_counts *c)
{
    for (xmlNodePtr n = node; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)n->name;
        if (!is_writer_element(name))
            die("html", name); /* an element the input made */
        for (xmlAttrPtr a = n->properties; a != NULL; a = a->next)
            if (is_active_attribute((const char *)a->name))
                die("html: an active attribute", (const char *)a->name);
        c->style += strcmp(name, "style") == 0;
        c->title += strcmp(name, "title") == 0;
        if (strcmp(name, "article") == 0) {
            xmlChar *cls = xmlGetProp(n, (const xmlChar *)"class");
            c->scenario_articles += cls != NULL && strstr((const char *)cls, "scenario") != NULL;
            xmlFree(cls);
        }
        check_html_node(n->children, c);
    }
}

static void check_html(const char *s, size_t len)
{
    htmlDocPtr doc = htmlReadMemory(s, (int)len, "report.html", "UTF-8",
                                    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
    if (doc == NULL)
        die("html", "libxml2 cannot parse it");
    struct html_counts c = {0, 0, 0};
    check_html_node(xmlDocGetRootElement(doc), &c);
    xmlFreeDoc(doc);
    if (c.style != 1 || c.title != 1)
        die("html", "not exactly one <style> and one <title>");
    if (c.scenario_articles != SCENARIOS)
        die("html", "not one scenario article per scenario");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    int top = lua_gettop(L);
    lua_getglobal(L, "render_all");
    lua_pushlstring(L, (const char *)data, size);
    if (lua_pcall(L, 1, 6, 0) != LUA_OK)
        die("a writer raised", lua_tostring(L, -1));
    size_t len[6];
    const char *out[6];
    for (int i = 0; i < 6; i++)
        out[i] = lua_tolstring(L, top + 1 + i, &len[i]);
    check_text("json", out[0], len[0], "\n\t\x7f"); /* JSON strings may hold DEL */
    check_text("junit", out[1], len[1], "\n\t");
    check_junit(out[1], len[1]);
    check_text("tap", out[2], len[2], "\n\t");
    check_tap(out[2]);
    check_text("markdown", out[3], len[3], "\n\t");
    check_markdown(out[3], len[3]);
    check_text("text", out[4], len[4], "\n\t");
    check_text("html", out[5], len[5], "\n\t");
    check_html(out[5], len[5]);
    lua_settop(L, top);
    return 0;
}
