/* pyscan: a strict, linear-time lexer for Python 3 source (see pyscan.h).
 *
 * Two passes over the bytes. The byte pass checks the size cap, UTF-8, control
 * and invisible characters, and PEP 263 coding declarations, so the token
 * pass can assume well-formed UTF-8 made of printable characters, tabs and
 * newlines. The token pass is a loop over a mode chosen by the top of an
 * explicit stack (code, f-string text, format spec); nothing recurses.
 *
 * F-strings are lexed the way CPython 3.12 does (PEP 701: replacement fields
 * are ordinary tokens), but every construct on which CPython 3.11 (which
 * first cuts the whole f-string at its closing quote) would disagree is
 * refused: an enclosing quote character anywhere inside a replacement field,
 * a backslash or '#' in a field's expression, a newline in a field of a
 * single-quoted f-string, "\{" or "\}" in f-string text.
 *
 * Over 600 lines, knowingly: a lexer of Python's whole token grammar is one
 * state machine (the byte pass, then one function per token kind), and
 * splitting it would put the mode stack behind an interface for no reader's
 * gain. */
#include "sandprobe/pyscan.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

enum frame_kind { FRAME_BRACKET, FRAME_FSTRING, FRAME_FIELD, FRAME_SPEC };

/* Quote characters as a bit mask: a context's qmask lists the quotes that
 * would end an enclosing f-string under CPython 3.11 rules. */
#define QUOTE_BIT(c) ((c) == '\'' ? 1u : (c) == '"' ? 2u : 0u)

struct frame {
    unsigned char kind;     /* enum frame_kind */
    char open;              /* FRAME_BRACKET: '(' '[' '{' */
    char quote;             /* FRAME_FSTRING: '\'' or '"' */
    unsigned char triple;   /* FRAME_FSTRING: triple-quoted */
    unsigned char raw;      /* FRAME_FSTRING: r prefix */
    unsigned char qmask;    /* quotes that must not appear here */
    unsigned char in_expr;  /* inside a replacement field's expression */
    unsigned char one_line; /* a newline here would end a single-quoted f-string */
    size_t open_pos;        /* where the frame was opened (messages, empty fields) */
};

/* Monotonic position cache: tokens arrive in source order, so line and
 * column of each are found by walking forward from the previous one. */
struct cursor {
    size_t pos;
    unsigned line, col;
};

struct lexer {
    const char *s;
    size_t n, p;
    struct sp_pyscan_limits lim;
    sp_pyscan_token_fn on_token;
    void *ctx;
    int token_positions; /* give tokens their line and column */
    struct sp_pyscan_finding *finding;
    enum sp_pyscan_status status;
    struct cursor cur;
    unsigned depth;
    unsigned nindent;
    int at_line_start;
    int line_has_tokens;
    /* Large arrays last: tokenize clears only what comes before them. */
    unsigned indent[SP_PYSCAN_MAX_INDENT_CEILING + 1];     /* tabs to multiples of 8 */
    unsigned alt_indent[SP_PYSCAN_MAX_INDENT_CEILING + 1]; /* tabs as one column */
    struct frame stack[SP_PYSCAN_MAX_DEPTH_CEILING];
};

static const char *const kind_names[SP_PYSCAN_KIND_COUNT] = {
    "NAME", "NUMBER", "STRING", "FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END", "OP",
    "NEWLINE", "NL", "INDENT", "DEDENT", "COMMENT", "ENDMARKER",
};

const char *sp_pyscan_kind_name(enum sp_pyscan_kind kind)
{
    return (unsigned)kind < SP_PYSCAN_KIND_COUNT ? kind_names[kind] : "?";
}

struct sp_pyscan_limits sp_pyscan_default_limits(void)
{
    struct sp_pyscan_limits l = {SP_PYSCAN_DEFAULT_MAX_BYTES, SP_PYSCAN_DEFAULT_MAX_DEPTH,
                                 SP_PYSCAN_DEFAULT_MAX_INDENT};
    return l;
}

/* Character classes of ASCII bytes, looked up once per byte. */
enum { CC_IDENT_START = 1, CC_DIGIT = 2, CC_BAD_CONTROL = 4 };

static const unsigned char char_class[256] = {
    [0x00 ... 0x08] = CC_BAD_CONTROL,
    [0x0B ... 0x1F] = CC_BAD_CONTROL,
    [0x7F] = CC_BAD_CONTROL,
    ['0' ... '9'] = CC_DIGIT,
    ['a' ... 'z'] = CC_IDENT_START,
    ['A' ... 'Z'] = CC_IDENT_START,
    ['_'] = CC_IDENT_START,
};

static int is_ident_start(unsigned char c)
{
    return char_class[c] & CC_IDENT_START;
}

static int is_ident_char(unsigned char c)
{
    return char_class[c] & (CC_IDENT_START | CC_DIGIT);
}

static int is_digit(unsigned char c)
{
    return char_class[c] & CC_DIGIT;
}

/* ---- positions, findings, tokens ---------------------------------------- */

static void locate(struct lexer *lx, size_t pos, unsigned *line, unsigned *col)
{
    struct cursor *c = &lx->cur;
    if (pos < c->pos) { /* never expected; stay correct anyway */
        c->pos = 0;
        c->line = c->col = 1;
    }
    if (pos > lx->n)
        pos = lx->n;
    for (; c->pos < pos; c->pos++) {
        unsigned char b = (unsigned char)lx->s[c->pos];
        if (b == '\n') {
            c->line++;
            c->col = 1;
        } else if ((b & 0xC0) != 0x80) {
            c->col++;
        }
    }
    *line = c->line;
    *col = c->col;
}

/* Records the finding and returns -1, so callers write `return reject(...)`. */
__attribute__((format(printf, 4, 5))) static int reject(struct lexer *lx, size_t pos,
                                                        const char *rule, const char *fmt, ...)
{
    lx->status = SP_PYSCAN_REJECTED;
    if (lx->finding != NULL) {
        struct sp_pyscan_finding *f = lx->finding;
        f->rule = rule;
        locate(lx, pos, &f->line, &f->col);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(f->message, sizeof f->message, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int emit(struct lexer *lx, enum sp_pyscan_kind kind, size_t offset, size_t length)
{
    if (kind != SP_PYSCAN_NL && kind != SP_PYSCAN_COMMENT)
        lx->line_has_tokens = kind != SP_PYSCAN_NEWLINE;
    if (lx->on_token == NULL)
        return 0;
    struct sp_pyscan_token t = {kind, offset, length, 0, 0};
    if (lx->token_positions)
        locate(lx, offset, &t.line, &t.col);
    if (lx->on_token(&t, lx->ctx) != 0) {
        lx->status = SP_PYSCAN_STOPPED;
        return -1;
    }
    return 0;
}

/* ---- byte pass ----------------------------------------------------------- */

static int is_invisible(unsigned cp)
{
    /* Bidirectional overrides and isolates ("Trojan Source"), direction
     * marks, line/paragraph separators and a stray byte-order mark: text an
     * editor shows differently from what Python reads. */
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF;
}

/* Length of the UTF-8 sequence at s[i] and its code point, or 0 if it is
 * invalid (overlong, surrogate, above U+10FFFF, truncated, stray byte). */
static size_t utf8_decode(const unsigned char *s, size_t n, size_t i, unsigned *cp)
{
    unsigned char b = s[i];
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
        *cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        *cp = b & 0x0F;
        if (b == 0xE0)
            lo = 0xA0; /* overlong */
        if (b == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        *cp = b & 0x07;
        if (b == 0xF0)
            lo = 0x90; /* overlong */
        if (b == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0;
    }
    if (n - i < len)
        return 0;
    for (size_t k = 1; k < len; k++) {
        unsigned char c = s[i + k];
        if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF))
            return 0;
        *cp = (*cp << 6) | (c & 0x3F);
    }
    return len;
}

static int reject_control(struct lexer *lx, size_t i, unsigned char b)
{
    if (b == '\r')
        return reject(lx, i, "byte.control",
                      "carriage return (CPython reads a lone \\r as a newline): use \\n line ends");
    if (b == '\0')
        return reject(lx, i, "byte.control", "NUL byte in source");
    if (b == '\f')
        return reject(lx, i, "byte.control",
                      "form feed (CPython resets indentation on it): not allowed");
    return reject(lx, i, "byte.control", "control character 0x%02X (only tab and newline are allowed)",
                  b);
}

static int check_encoding(struct lexer *lx)
{
    const unsigned char *s = (const unsigned char *)lx->s;
    size_t i = 0;
    while (i < lx->n) {
        unsigned char b = s[i];
        if (b < 0x80) {
            if (char_class[b] & CC_BAD_CONTROL)
                return reject_control(lx, i, b);
            i++;
            continue;
        }
        unsigned cp;
        size_t len = utf8_decode(s, lx->n, i, &cp);
        if (len == 0)
            return reject(lx, i, "byte.utf8", "invalid UTF-8 (byte 0x%02X)", b);
        if (cp < 0xA0) /* C1 controls U+0080..U+009F */
            return reject(lx, i, "byte.control", "control character U+%04X", cp);
        if (is_invisible(cp))
            return reject(lx, i, "byte.invisible",
                          "invisible or bidirectional character U+%04X", cp);
        i += len;
    }
    return 0;
}

static int is_coding_name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.' || c >= 0x80;
}

/* True when the encoding name s[0..len) is UTF-8 the way CPython reads it
 * (lower case, '_' as '-'): "utf-8", "UTF_8", "utf8". CPython then decodes
 * the file as the UTF-8 this lexer reads. */
static int is_utf8_name(const char *s, size_t len)
{
    char buf[6];
    if (len != 4 && len != 5)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i] == '_' ? '-' : s[i];
        buf[i] = (char)((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
    }
    return memcmp(buf, len == 5 ? "utf-8" : "utf8", len) == 0;
}

/* True if s[from..to) is a comment line matching CPython's PEP 263 regex
 * ^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+) naming an encoding other than UTF-8. */
static int is_coding_line(const char *s, size_t from, size_t to)
{
    size_t i = from;
    while (i < to && (s[i] == ' ' || s[i] == '\t' || s[i] == '\f'))
        i++;
    if (i >= to || s[i] != '#')
        return 0;
    for (; i + 7 <= to; i++) {
        if (memcmp(s + i, "coding", 6) != 0 || (s[i + 6] != ':' && s[i + 6] != '='))
            continue;
        size_t k = i + 7;
        while (k < to && (s[k] == ' ' || s[k] == '\t'))
            k++;
        size_t name = k;
        while (k < to && is_coding_name_char((unsigned char)s[k]))
            k++;
        if (k > name)
            return !is_utf8_name(s + name, k - name);
    }
    return 0;
}

/* A coding declaration would make CPython decode the file as something other
 * than the UTF-8 this lexer read (e.g. "# coding: unicode_escape" or
 * punycode), so any one on line 1 or 2 that does not name UTF-8 refuses the
 * source. */
static int check_coding_declaration(struct lexer *lx)
{
    size_t start = 0;
    for (int line = 0; line < 2 && start <= lx->n; line++) {
        const char *nl = memchr(lx->s + start, '\n', lx->n - start);
        size_t end = nl ? (size_t)(nl - lx->s) : lx->n;
        if (is_coding_line(lx->s, start, end))
            return reject(lx, start, "byte.coding",
                          "PEP 263 coding declaration on line %d: only UTF-8 is accepted",
                          line + 1);
        if (nl == NULL)
            break;
        start = end + 1;
    }
    return 0;
}

/* ---- the stack ------------------------------------------------------------ */

static struct frame *top(struct lexer *lx)
{
    return lx->depth ? &lx->stack[lx->depth - 1] : NULL;
}

/* Pushes a frame that inherits the quote mask and field flags of the
 * current context. */
static struct frame *push(struct lexer *lx, enum frame_kind kind, size_t pos)
{
    if (lx->depth >= lx->lim.max_depth) {
        reject(lx, pos, "lex.depth", "nesting of brackets and f-strings deeper than %u",
               lx->lim.max_depth);
        return NULL;
    }
    struct frame *parent = top(lx);
    struct frame *f = &lx->stack[lx->depth++];
    memset(f, 0, sizeof *f);
    f->kind = (unsigned char)kind;
    f->open_pos = pos;
    if (parent != NULL) {
        f->qmask = parent->qmask;
        f->in_expr = parent->in_expr;
        f->one_line = parent->one_line;
    }
    return f;
}

/* ---- code mode ------------------------------------------------------------ */

static unsigned char at(const struct lexer *lx, size_t i)
{
    return i < lx->n ? (unsigned char)lx->s[i] : 0;
}

static int indent_push(struct lexer *lx, unsigned col, unsigned alt)
{
    if (lx->nindent >= lx->lim.max_indent)
        return reject(lx, lx->p, "lex.indent", "more than %u indentation levels",
                      lx->lim.max_indent);
    lx->nindent++;
    lx->indent[lx->nindent] = col;
    lx->alt_indent[lx->nindent] = alt;
    return emit(lx, SP_PYSCAN_INDENT, lx->p, 0);
}

/* CPython's rule: the indentation must compare the same way whether a tab
 * counts to the next multiple of 8 or as one column; otherwise the block
 * structure depends on tab width (TabError). */
static int apply_indentation(struct lexer *lx, unsigned col, unsigned alt)
{
    unsigned cur = lx->indent[lx->nindent], cur_alt = lx->alt_indent[lx->nindent];
    if (col == cur) {
        if (alt != cur_alt)
            return reject(lx, lx->p, "lex.indent", "inconsistent use of tabs and spaces");
        return 0;
    }
    if (col > cur) {
        if (alt <= cur_alt)
            return reject(lx, lx->p, "lex.indent", "inconsistent use of tabs and spaces");
        return indent_push(lx, col, alt);
    }
    while (lx->nindent > 0 && col < lx->indent[lx->nindent]) {
        lx->nindent--;
        if (emit(lx, SP_PYSCAN_DEDENT, lx->p, 0))
            return -1;
    }
    if (col != lx->indent[lx->nindent])
        return reject(lx, lx->p, "lex.indent", "unindent does not match any outer level");
    if (alt != lx->alt_indent[lx->nindent])
        return reject(lx, lx->p, "lex.indent", "inconsistent use of tabs and spaces");
    return 0;
}

static int lex_comment(struct lexer *lx)
{
    const char *nl = memchr(lx->s + lx->p, '\n', lx->n - lx->p);
    size_t end = nl ? (size_t)(nl - lx->s) : lx->n;
    int r = emit(lx, SP_PYSCAN_COMMENT, lx->p, end - lx->p);
    lx->p = end;
    return r;
}

/* At the start of a logical line: measures the indentation; blank and
 * comment-only lines become COMMENT/NL and leave us at a line start. */
static int lex_line_start(struct lexer *lx)
{
    unsigned col = 0, alt = 0;
    while (lx->p < lx->n && (lx->s[lx->p] == ' ' || lx->s[lx->p] == '\t')) {
        col = lx->s[lx->p] == '\t' ? (col / 8 + 1) * 8 : col + 1;
        alt++;
        lx->p++;
    }
    if (lx->p >= lx->n) {
        lx->at_line_start = 0;
        return 0;
    }
    unsigned char c = at(lx, lx->p);
    if (c == '#' && lex_comment(lx))
        return -1;
    c = at(lx, lx->p);
    if (lx->p >= lx->n)
        return 0;
    if (c == '\n') {
        lx->p++;
        return emit(lx, SP_PYSCAN_NL, lx->p - 1, 1);
    }
    if (c == '\\')
        return reject(lx, lx->p, "lex.continuation",
                      "a logical line may not start with a backslash continuation");
    lx->at_line_start = 0;
    return apply_indentation(lx, col, alt);
}

static int lex_newline(struct lexer *lx)
{
    struct frame *t = top(lx);
    size_t pos = lx->p++;
    if (t == NULL) {
        lx->at_line_start = 1;
        return emit(lx, SP_PYSCAN_NEWLINE, pos, 1);
    }
    if (t->one_line)
        return reject(lx, pos, "lex.fstring-newline",
                      "newline inside a replacement field of a single-quoted f-string");
    return emit(lx, SP_PYSCAN_NL, pos, 1);
}

static int lex_continuation(struct lexer *lx)
{
    struct frame *t = top(lx);
    if (t != NULL && t->in_expr)
        return reject(lx, lx->p, "lex.fstring-backslash",
                      "backslash inside an f-string replacement field");
    if (at(lx, lx->p + 1) != '\n')
        return reject(lx, lx->p, "lex.continuation",
                      "backslash outside a string must end the line");
    lx->p += 2;
    return 0;
}

static int scan_digits(struct lexer *lx, int (*ok)(unsigned char))
{
    size_t from = lx->p;
    while (lx->p < lx->n && (ok(at(lx, lx->p)) || at(lx, lx->p) == '_'))
        lx->p++;
    return lx->p > from;
}

static int is_hex(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_oct(unsigned char c)
{
    return c >= '0' && c <= '7';
}

static int is_bin(unsigned char c)
{
    return c == '0' || c == '1';
}

static void scan_decimal_tail(struct lexer *lx)
{
    if (at(lx, lx->p) == '.') {
        lx->p++;
        scan_digits(lx, is_digit);
    }
    unsigned char e = at(lx, lx->p);
    if (e == 'e' || e == 'E') {
        size_t k = lx->p + 1;
        if (at(lx, k) == '+' || at(lx, k) == '-')
            k++;
        if (is_digit(at(lx, k))) {
            lx->p = k;
            scan_digits(lx, is_digit);
        }
    }
    if (at(lx, lx->p) == 'j' || at(lx, lx->p) == 'J')
        lx->p++;
}

/* Numbers: a letter or digit right after one ("1if", "0x1for", "1_a") is
 * where tokenizers of different versions part ways, so it is refused. */
static int lex_number(struct lexer *lx)
{
    size_t start = lx->p;
    unsigned char c1 = at(lx, lx->p + 1);
    if (at(lx, lx->p) == '0' && (c1 == 'x' || c1 == 'X' || c1 == 'o' || c1 == 'O' || c1 == 'b' ||
                                 c1 == 'B')) {
        lx->p += 2;
        int (*ok)(unsigned char) = (c1 == 'x' || c1 == 'X') ? is_hex
                                   : (c1 == 'o' || c1 == 'O') ? is_oct
                                                              : is_bin;
        if (!scan_digits(lx, ok))
            return reject(lx, start, "lex.number", "malformed number literal");
    } else {
        scan_digits(lx, is_digit);
        scan_decimal_tail(lx);
    }
    unsigned char next = at(lx, lx->p);
    if (is_ident_char(next) || next >= 0x80)
        return reject(lx, lx->p, "lex.number",
                      "a number directly followed by a letter or digit");
    return emit(lx, SP_PYSCAN_NUMBER, start, lx->p - start);
}

/* Valid prefixes, any case: r u b br rb f fr rf. Sets *is_f and *is_raw. */
static int string_prefix(const char *s, size_t len, int *is_f, int *is_raw)
{
    int r = 0, u = 0, b = 0, f = 0;
    for (size_t i = 0; i < len; i++) {
        switch (s[i] | 0x20) {
        case 'r': r++; break;
        case 'u': u++; break;
        case 'b': b++; break;
        case 'f': f++; break;
        default: return 0;
        }
    }
    if (r > 1 || u > 1 || b > 1 || f > 1 || len > 2 || (u && len > 1) || (b && f))
        return 0;
    *is_f = f;
    *is_raw = r;
    return 1;
}

/* A character inside a replacement field (or a string nested in one) that
 * CPython 3.11 and 3.12 would read differently. */
static int check_field_char(struct lexer *lx, const struct frame *ctx, size_t i, unsigned char c)
{
    if (ctx == NULL)
        return 0;
    if (ctx->qmask & QUOTE_BIT(c))
        return reject(lx, i, "lex.fstring-quote",
                      "quote character of an enclosing f-string reused inside it");
    if (!ctx->in_expr)
        return 0;
    if (c == '\\')
        return reject(lx, i, "lex.fstring-backslash",
                      "backslash inside an f-string replacement field");
    if (c == '#')
        return reject(lx, i, "lex.fstring-comment", "'#' inside an f-string replacement field");
    return 0;
}

/* Scans a plain (non-f) string body from the opening quote; returns the end
 * offset or 0 after a rejection. A backslash always skips the next byte,
 * which is also how CPython finds the end of a raw string. */
static size_t scan_string_body(struct lexer *lx, size_t start, size_t q, int triple,
                               const struct frame *ctx)
{
    char quote = lx->s[q];
    size_t i = q + (triple ? 3 : 1);
    for (;;) {
        if (i >= lx->n) {
            reject(lx, start, "lex.unterminated-string", "unterminated string literal");
            return 0;
        }
        unsigned char c = (unsigned char)lx->s[i];
        if (check_field_char(lx, ctx, i, c))
            return 0;
        if (c == '\n' && (!triple || (ctx != NULL && ctx->one_line))) {
            reject(lx, start, "lex.unterminated-string",
                   triple ? "newline in a string inside a single-quoted f-string"
                          : "unterminated string literal (newline before the closing quote)");
            return 0;
        }
        if (c == '\\') {
            if (i + 1 >= lx->n) {
                reject(lx, start, "lex.unterminated-string", "unterminated string literal");
                return 0;
            }
            i += 2;
            continue;
        }
        if (c == (unsigned char)quote) {
            if (!triple)
                return i + 1;
            if (at(lx, i + 1) == (unsigned char)quote && at(lx, i + 2) == (unsigned char)quote)
                return i + 3;
        }
        i++;
    }
}

/* A string literal whose (possibly empty) prefix starts at `start` and whose
 * opening quote is at `q`. F-strings push a frame; the rest is one token. */
static int lex_string(struct lexer *lx, size_t start, size_t q, int is_f, int is_raw)
{
    char quote = lx->s[q];
    int triple = at(lx, q + 1) == (unsigned char)quote && at(lx, q + 2) == (unsigned char)quote;
    struct frame *ctx = top(lx);
    if (ctx != NULL && (ctx->qmask & QUOTE_BIT(quote)))
        return reject(lx, q, "lex.fstring-quote",
                      "string inside an f-string uses the enclosing f-string's quote character");
    if (is_f) {
        struct frame *f = push(lx, FRAME_FSTRING, q);
        if (f == NULL)
            return -1;
        f->quote = quote;
        f->triple = (unsigned char)triple;
        f->raw = (unsigned char)is_raw;
        lx->p = q + (triple ? 3 : 1);
        return emit(lx, SP_PYSCAN_FSTRING_START, start, lx->p - start);
    }
    size_t end = scan_string_body(lx, start, q, triple, ctx);
    if (end == 0)
        return -1;
    lx->p = end;
    return emit(lx, SP_PYSCAN_STRING, start, end - start);
}

static int lex_name(struct lexer *lx)
{
    size_t start = lx->p;
    while (lx->p < lx->n && is_ident_char(at(lx, lx->p)))
        lx->p++;
    unsigned char next = at(lx, lx->p);
    if (next >= 0x80)
        return reject(lx, lx->p, "byte.non-ascii",
                      "non-ASCII character in an identifier (CPython NFKC-normalises "
                      "identifiers, so look-alikes of names are refused)");
    if (next == '\'' || next == '"') {
        int is_f, is_raw;
        if (!string_prefix(lx->s + start, lx->p - start, &is_f, &is_raw))
            return reject(lx, start, "lex.string-prefix",
                          "unknown string prefix or a name directly followed by a quote");
        return lex_string(lx, start, lx->p, is_f, is_raw);
    }
    return emit(lx, SP_PYSCAN_NAME, start, lx->p - start);
}

/* True when nothing but blanks lies between a field's '{' and p. */
static int field_is_empty(const struct lexer *lx, const struct frame *field)
{
    for (size_t i = field->open_pos + 1; i < lx->p; i++)
        if (lx->s[i] != ' ' && lx->s[i] != '\t' && lx->s[i] != '\n')
            return 0;
    return 1;
}

static int end_field(struct lexer *lx, struct frame *field)
{
    if (field_is_empty(lx, field))
        return reject(lx, lx->p, "lex.fstring-empty", "empty f-string replacement field");
    lx->depth--;
    lx->p++;
    return emit(lx, SP_PYSCAN_OP, lx->p - 1, 1);
}

static int close_bracket(struct lexer *lx, unsigned char c)
{
    struct frame *t = top(lx);
    if (t != NULL && t->kind == FRAME_FIELD && c == '}')
        return end_field(lx, t);
    char want = c == ')' ? '(' : c == ']' ? '[' : '{';
    if (t == NULL || t->kind != FRAME_BRACKET || t->open != want)
        return reject(lx, lx->p, "lex.bracket", "unmatched '%c'", c);
    lx->depth--;
    lx->p++;
    return emit(lx, SP_PYSCAN_OP, lx->p - 1, 1);
}

static int open_bracket(struct lexer *lx, unsigned char c)
{
    struct frame *f = push(lx, FRAME_BRACKET, lx->p);
    if (f == NULL)
        return -1;
    f->open = (char)c;
    lx->p++;
    return emit(lx, SP_PYSCAN_OP, lx->p - 1, 1);
}

/* ':' at the top level of a replacement field starts its format spec;
 * CPython reads ":=" there the same way. */
static int start_format_spec(struct lexer *lx, struct frame *field)
{
    if (field_is_empty(lx, field))
        return reject(lx, lx->p, "lex.fstring-empty", "empty f-string replacement field");
    if (emit(lx, SP_PYSCAN_OP, lx->p, 1))
        return -1;
    struct frame *spec = push(lx, FRAME_SPEC, lx->p);
    if (spec == NULL)
        return -1;
    spec->in_expr = 0;
    lx->p++;
    return 0;
}

/* "!r", "!s" or "!a" right before ':' or '}' of a replacement field. */
static int lex_conversion(struct lexer *lx, struct frame *field)
{
    unsigned char k = at(lx, lx->p + 1), after = at(lx, lx->p + 2);
    if (field_is_empty(lx, field))
        return reject(lx, lx->p, "lex.fstring-empty", "empty f-string replacement field");
    if ((k != 'r' && k != 's' && k != 'a') || (after != ':' && after != '}'))
        return reject(lx, lx->p, "lex.fstring-conversion",
                      "f-string conversion must be !r, !s or !a followed by ':' or '}'");
    if (emit(lx, SP_PYSCAN_OP, lx->p, 1) || emit(lx, SP_PYSCAN_NAME, lx->p + 1, 1))
        return -1;
    lx->p += 2;
    return 0;
}

/* Length of the operator at p (longest match), 0 if there is none.
 * "!" alone is only an f-string conversion, handled by the caller. */
static size_t match_op(const struct lexer *lx)
{
    unsigned char a = at(lx, lx->p), b = at(lx, lx->p + 1), c = at(lx, lx->p + 2);
    switch (a) {
    case '*': case '/': case '<': case '>': /* ** // << >> and their '=' forms */
        if (b == a)
            return c == '=' ? 3 : 2;
        return b == '=' ? 2 : 1;
    case '.':
        return b == '.' && c == '.' ? 3 : 1;
    case '-':
        return b == '=' || b == '>' ? 2 : 1;
    case '+': case '%': case '&': case '|': case '^': case '@': case '=': case ':':
        return b == '=' ? 2 : 1;
    case '!':
        return b == '=' ? 2 : 0;
    case '~': case ',': case ';':
        return 1;
    default:
        return 0;
    }
}

static int lex_operator(struct lexer *lx, unsigned char c)
{
    struct frame *t = top(lx);
    int in_field = t != NULL && t->kind == FRAME_FIELD;
    if (c == '(' || c == '[' || c == '{')
        return open_bracket(lx, c);
    if (c == ')' || c == ']' || c == '}')
        return close_bracket(lx, c);
    if (in_field && c == ':')
        return start_format_spec(lx, t);
    if (in_field && c == '!' && at(lx, lx->p + 1) != '=')
        return lex_conversion(lx, t);
    size_t len = match_op(lx);
    if (len == 0)
        return reject(lx, lx->p, "lex.character", "character '%c' is not valid Python here", c);
    lx->p += len;
    return emit(lx, SP_PYSCAN_OP, lx->p - len, len);
}

static int lex_code(struct lexer *lx)
{
    if (lx->at_line_start)
        return lex_line_start(lx);
    while (lx->p < lx->n && (lx->s[lx->p] == ' ' || lx->s[lx->p] == '\t'))
        lx->p++;
    if (lx->p >= lx->n)
        return 0;
    unsigned char c = at(lx, lx->p);
    if (c == '\n')
        return lex_newline(lx);
    if (c == '#') {
        struct frame *t = top(lx);
        if (t != NULL && t->in_expr)
            return reject(lx, lx->p, "lex.fstring-comment",
                          "'#' inside an f-string replacement field");
        return lex_comment(lx);
    }
    if (c == '\\')
        return lex_continuation(lx);
    if (c == '\'' || c == '"')
        return lex_string(lx, lx->p, lx->p, 0, 0);
    if (is_digit(c) || (c == '.' && is_digit(at(lx, lx->p + 1))))
        return lex_number(lx);
    if (is_ident_start(c))
        return lex_name(lx);
    if (c >= 0x80)
        return reject(lx, lx->p, "byte.non-ascii",
                      "non-ASCII character outside a string literal or comment");
    return lex_operator(lx, c);
}

/* ---- f-string text and format specs --------------------------------------- */

static int emit_middle(struct lexer *lx, size_t from)
{
    return lx->p > from ? emit(lx, SP_PYSCAN_FSTRING_MIDDLE, from, lx->p - from) : 0;
}

/* Opens a replacement field at p ('{'), from f-string text or a format spec. */
static int open_field(struct lexer *lx, size_t chunk, unsigned char qmask, int one_line)
{
    if (emit_middle(lx, chunk) || emit(lx, SP_PYSCAN_OP, lx->p, 1))
        return -1;
    struct frame *field = push(lx, FRAME_FIELD, lx->p);
    if (field == NULL)
        return -1;
    field->qmask = qmask;
    field->in_expr = 1;
    field->one_line = (unsigned char)one_line;
    lx->p++;
    return 0;
}

/* "\N{NAME}" in a non-raw f-string is an escape, not a replacement field. */
static int skip_named_escape(struct lexer *lx)
{
    size_t i = lx->p + 3;
    while (i < lx->n) {
        unsigned char c = at(lx, i);
        if (c == '}' && i > lx->p + 3) {
            lx->p = i + 1;
            return 0;
        }
        if (!is_ident_char(c) && c != ' ' && c != '-')
            break;
        i++;
    }
    return reject(lx, lx->p, "lex.fstring-escape", "malformed \\N{...} escape in an f-string");
}

static int fstring_backslash(struct lexer *lx, const struct frame *f)
{
    unsigned char next = at(lx, lx->p + 1);
    if (lx->p + 1 >= lx->n)
        return reject(lx, f->open_pos, "lex.unterminated-string", "unterminated f-string");
    if (next == '{' || next == '}')
        return reject(lx, lx->p, "lex.fstring-escape",
                      "backslash before a brace in an f-string (versions disagree on it)");
    if (!f->raw && next == 'N' && at(lx, lx->p + 2) == '{')
        return skip_named_escape(lx);
    lx->p += 2;
    return 0;
}

static int is_closing_quote(const struct lexer *lx, const struct frame *f)
{
    unsigned char q = (unsigned char)f->quote;
    return at(lx, lx->p) == q && (!f->triple || (at(lx, lx->p + 1) == q && at(lx, lx->p + 2) == q));
}

static int lex_fstring_text(struct lexer *lx, struct frame *f)
{
    size_t chunk = lx->p;
    for (;;) {
        if (lx->p >= lx->n)
            return reject(lx, f->open_pos, "lex.unterminated-string", "unterminated f-string");
        unsigned char c = at(lx, lx->p);
        if (is_closing_quote(lx, f)) {
            size_t qlen = f->triple ? 3 : 1;
            if (emit_middle(lx, chunk) || emit(lx, SP_PYSCAN_FSTRING_END, lx->p, qlen))
                return -1;
            lx->p += qlen;
            lx->depth--;
            return 0;
        }
        if (c == '\n' && (!f->triple || f->one_line))
            return reject(lx, f->open_pos, "lex.unterminated-string",
                          "unterminated f-string (newline before the closing quote)");
        if (c == '{' && at(lx, lx->p + 1) != '{')
            return open_field(lx, chunk, f->qmask | QUOTE_BIT(f->quote),
                              f->one_line || !f->triple);
        if (c == '{' || c == '}') {
            if (at(lx, lx->p + 1) != c)
                return reject(lx, lx->p, "lex.fstring-brace", "single '}' in an f-string");
            lx->p += 2;
            continue;
        }
        if (check_field_char(lx, f, lx->p, c))
            return -1;
        if (c == '\\') {
            if (fstring_backslash(lx, f))
                return -1;
            continue;
        }
        lx->p++;
    }
}

static int lex_format_spec(struct lexer *lx, struct frame *spec)
{
    size_t chunk = lx->p;
    for (;;) {
        if (lx->p >= lx->n)
            return reject(lx, spec->open_pos, "lex.unterminated-string",
                          "unterminated f-string format spec");
        unsigned char c = at(lx, lx->p);
        if (c == '{') {
            if (at(lx, lx->p + 1) == '{')
                return reject(lx, lx->p, "lex.fstring-brace", "'{{' inside a format spec");
            return open_field(lx, chunk, spec->qmask, spec->one_line);
        }
        if (c == '}') {
            if (emit_middle(lx, chunk) || emit(lx, SP_PYSCAN_OP, lx->p, 1))
                return -1;
            lx->p++;
            lx->depth -= 2; /* the spec and the field it belongs to */
            return 0;
        }
        if (c == '\\' || c == '\n')
            return reject(lx, lx->p, "lex.fstring-spec",
                          "backslash or newline inside an f-string format spec");
        if (check_field_char(lx, spec, lx->p, c))
            return -1;
        lx->p++;
    }
}

/* ---- driver ---------------------------------------------------------------- */

static int finish(struct lexer *lx)
{
    struct frame *t = top(lx);
    if (t != NULL) {
        if (t->kind == FRAME_BRACKET)
            return reject(lx, t->open_pos, "lex.bracket", "'%c' is never closed", t->open);
        return reject(lx, t->open_pos, "lex.unterminated-string", "unterminated f-string");
    }
    if (lx->line_has_tokens && emit(lx, SP_PYSCAN_NEWLINE, lx->n, 0))
        return -1;
    for (; lx->nindent > 0; lx->nindent--)
        if (emit(lx, SP_PYSCAN_DEDENT, lx->n, 0))
            return -1;
    return emit(lx, SP_PYSCAN_ENDMARKER, lx->n, 0);
}

static int lex_all(struct lexer *lx)
{
    for (;;) {
        struct frame *t = top(lx);
        int r;
        if (t != NULL && t->kind == FRAME_FSTRING)
            r = lex_fstring_text(lx, t);
        else if (t != NULL && t->kind == FRAME_SPEC)
            r = lex_format_spec(lx, t);
        else if (lx->p >= lx->n)
            return finish(lx);
        else
            r = lex_code(lx);
        if (r)
            return r;
    }
}

static struct sp_pyscan_limits effective_limits(const struct sp_pyscan_limits *given)
{
    struct sp_pyscan_limits l = sp_pyscan_default_limits();
    if (given != NULL) {
        if (given->max_bytes)
            l.max_bytes = given->max_bytes;
        if (given->max_depth)
            l.max_depth = given->max_depth;
        if (given->max_indent)
            l.max_indent = given->max_indent;
    }
    if (l.max_depth > SP_PYSCAN_MAX_DEPTH_CEILING)
        l.max_depth = SP_PYSCAN_MAX_DEPTH_CEILING;
    if (l.max_indent > SP_PYSCAN_MAX_INDENT_CEILING)
        l.max_indent = SP_PYSCAN_MAX_INDENT_CEILING;
    return l;
}

static enum sp_pyscan_status tokenize(const char *src, size_t len,
                                      const struct sp_pyscan_limits *limits,
                                      sp_pyscan_token_fn on_token, void *ctx, int token_positions,
                                      struct sp_pyscan_finding *finding)
{
    struct lexer lx;
    memset(&lx, 0, offsetof(struct lexer, indent)); /* the arrays need no clearing */
    lx.s = src != NULL ? src : "";
    lx.n = src != NULL ? len : 0;
    lx.lim = effective_limits(limits);
    lx.on_token = on_token;
    lx.ctx = ctx;
    lx.token_positions = token_positions;
    lx.finding = finding;
    lx.status = SP_PYSCAN_OK;
    lx.cur.line = lx.cur.col = 1;
    lx.at_line_start = 1;
    lx.indent[0] = lx.alt_indent[0] = 0;
    if (lx.n > lx.lim.max_bytes) {
        reject(&lx, 0, "byte.size", "source is %zu bytes, more than the limit of %zu", lx.n,
               lx.lim.max_bytes);
        return lx.status;
    }
    if (check_encoding(&lx) == 0 && check_coding_declaration(&lx) == 0)
        lex_all(&lx);
    return lx.status;
}

enum sp_pyscan_status sp_pyscan_tokenize(const char *src, size_t len,
                                         const struct sp_pyscan_limits *limits,
                                         sp_pyscan_token_fn on_token, void *ctx,
                                         struct sp_pyscan_finding *finding)
{
    return tokenize(src, len, limits, on_token, ctx, 1, finding);
}

enum sp_pyscan_status sp_pyscan_tokenize_unlocated(const char *src, size_t len,
                                                   const struct sp_pyscan_limits *limits,
                                                   sp_pyscan_token_fn on_token, void *ctx,
                                                   struct sp_pyscan_finding *finding)
{
    return tokenize(src, len, limits, on_token, ctx, 0, finding);
}
