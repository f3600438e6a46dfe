/* seccomp profiles compiled with libseccomp for the native architecture, as
 * runc would load them; BPF and PFC export; and the compiled filter run on a
 * syscall to say what it gets. The filter is classic BPF: running it here is
 * what the kernel does on every syscall, so the answer is the filter's own. */
#define _GNU_SOURCE /* strerrorname_np, memfd_create */
#include "seccomp_model.h"
#include "sandprobe/text.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>


/* ---- compilation ------------------------------------------------------ */

static int add_arch(scmp_filter_ctx ctx, const char *scmp_name, char *err, size_t errlen)
{
    uint32_t token = sp_seccomp_arch_token(scmp_name);
    if (token == 0) {
        sp_error(err, errlen, "unknown architecture \"%s\"", scmp_name);
        return -1;
    }
    int rc = seccomp_arch_add(ctx, token);
    if (rc != 0 && rc != -EEXIST) {
        sp_error(err, errlen, "libseccomp cannot add architecture %s: %s", scmp_name,
                  strerror(-rc));
        return -1;
    }
    return 0;
}

/* Docker keeps the archMap entry of the native architecture (it and its
 * sub-architectures) or, in the legacy form, every listed architecture. */
static int add_architectures(scmp_filter_ctx ctx, const sp_seccomp_profile *p, char *err,
                             size_t errlen)
{
    for (size_t i = 0; i < p->architectures.count; i++)
        if (add_arch(ctx, p->architectures.items[i], err, errlen) != 0)
            return -1;
    const char *native = sp_seccomp_native_arch_scmp_name();
    for (size_t i = 0; i < p->narchmap; i++) {
        if (strcmp(p->archmap[i].arch, native) != 0)
            continue;
        for (size_t k = 0; k < p->archmap[i].subs.count; k++)
            if (add_arch(ctx, p->archmap[i].subs.items[k], err, errlen) != 0)
                return -1;
        break;
    }
    return 0;
}

static struct scmp_arg_cmp to_libseccomp(const struct sp_seccomp_arg *a)
{
    static const enum scmp_compare ops[] = {
        [SP_SECCOMP_OP_NE] = SCMP_CMP_NE, [SP_SECCOMP_OP_LT] = SCMP_CMP_LT, [SP_SECCOMP_OP_LE] = SCMP_CMP_LE,
        [SP_SECCOMP_OP_EQ] = SCMP_CMP_EQ, [SP_SECCOMP_OP_GE] = SCMP_CMP_GE, [SP_SECCOMP_OP_GT] = SCMP_CMP_GT,
        [SP_SECCOMP_OP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
    };
    /* For MASKED_EQ Docker's "value" is the mask and "valueTwo" the datum,
     * which is libseccomp's order too. */
    struct scmp_arg_cmp c = {a->index, ops[a->op], a->value, a->value_two};
    return c;
}

static int add_rule_for(scmp_filter_ctx ctx, const struct sp_seccomp_rule *r, int nr)
{
    uint32_t action = sp_seccomp_rule_action_value(r);
    struct scmp_arg_cmp conds[SP_SECCOMP_MAX_ARGS];
    if (sp_seccomp_rule_splits_args(r)) {
        for (size_t i = 0; i < r->nargs; i++) {
            conds[0] = to_libseccomp(&r->args[i]);
            int rc = seccomp_rule_add_array(ctx, action, nr, 1, conds);
            if (rc != 0)
                return rc;
        }
        return 0;
    }
    /* Without repeated indexes there are at most SP_SECCOMP_MAX_ARGS comparisons. */
    for (size_t i = 0; i < r->nargs; i++)
        conds[i] = to_libseccomp(&r->args[i]);
    return seccomp_rule_add_array(ctx, action, nr, (unsigned)r->nargs, conds);
}

static int add_rules(scmp_filter_ctx ctx, const sp_seccomp_profile *p, char *err, size_t errlen)
{
    for (size_t i = 0; i < p->nrules; i++) {
        const struct sp_seccomp_rule *r = &p->rules[i];
        if (!sp_seccomp_rule_compiled(p, r))
            continue;
        for (size_t k = 0; k < r->names.count; k++) {
            int nr = seccomp_syscall_resolve_name(r->names.items[k]);
            if (nr == __NR_SCMP_ERROR)
                continue; /* warned about when it was loaded */
            int rc = add_rule_for(ctx, r, nr);
            if (rc != 0) {
                sp_error(err, errlen, "syscalls[%zu]: libseccomp refused the rule for \"%s\": %s",
                          i, r->names.items[k], strerror(-rc));
                return -1;
            }
        }
    }
    return 0;
}

static scmp_filter_ctx compile(const sp_seccomp_profile *p, char *err, size_t errlen)
{
    scmp_filter_ctx ctx = seccomp_init(sp_seccomp_default_action_value(p));
    if (ctx == NULL) {
        sp_error(err, errlen, "libseccomp refused the default action");
        return NULL;
    }
    if (add_architectures(ctx, p, err, errlen) != 0 || add_rules(ctx, p, err, errlen) != 0) {
        seccomp_release(ctx);
        return NULL;
    }
    return ctx;
}

/* libseccomp 2.5 exports only to a file descriptor: use an anonymous memory
 * file and read it back. */
static int export_to_memory(scmp_filter_ctx ctx, int (*exporter)(const scmp_filter_ctx, int),
                            char **out, size_t *len, char *err, size_t errlen)
{
    int fd = memfd_create("sandprobe-seccomp", MFD_CLOEXEC);
    if (fd < 0) {
        sp_error(err, errlen, "memfd_create: %s", strerror(errno));
        return -1;
    }
    int rc = exporter(ctx, fd);
    off_t size = rc == 0 ? lseek(fd, 0, SEEK_END) : -1;
    char *buf = size >= 0 ? malloc((size_t)size + 1) : NULL;
    size_t got = 0;
    if (buf != NULL && lseek(fd, 0, SEEK_SET) == 0) {
        ssize_t n;
        while (got < (size_t)size && (n = read(fd, buf + got, (size_t)size - got)) > 0)
            got += (size_t)n;
    }
    close(fd);
    if (rc != 0 || buf == NULL || got != (size_t)size) {
        free(buf);
        sp_error(err, errlen, "cannot export the filter: %s",
                  rc != 0 ? strerror(-rc) : "out of memory or short read");
        return -1;
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return 0;
}

/* Compiles once; the result stays cached until the profile changes. */
static int compiled_bpf(sp_seccomp_profile *p, char *err, size_t errlen)
{
    if (p->bpf != NULL)
        return 0;
    scmp_filter_ctx ctx = compile(p, err, errlen);
    if (ctx == NULL)
        return -1;
    char *bpf;
    size_t len;
    int rc = export_to_memory(ctx, seccomp_export_bpf, &bpf, &len, err, errlen);
    seccomp_release(ctx);
    if (rc != 0)
        return -1;
    p->bpf = bpf;
    p->bpf_len = len;
    return 0;
}

int sp_seccomp_export_bpf(sp_seccomp_profile *p, void **bpf, size_t *len, char *err,
                          size_t errlen)
{
    if (compiled_bpf(p, err, errlen) != 0)
        return -1;
    void *copy = malloc(p->bpf_len ? p->bpf_len : 1);
    if (copy == NULL) {
        sp_error(err, errlen, "out of memory");
        return -1;
    }
    memcpy(copy, p->bpf, p->bpf_len);
    *bpf = copy;
    *len = p->bpf_len;
    return 0;
}

char *sp_seccomp_export_pfc(sp_seccomp_profile *p, char *err, size_t errlen)
{
    scmp_filter_ctx ctx = compile(p, err, errlen);
    if (ctx == NULL)
        return NULL;
    char *text = NULL;
    size_t len;
    (void)export_to_memory(ctx, seccomp_export_pfc, &text, &len, err, errlen);
    seccomp_release(ctx);
    return text;
}

/* ---- running the filter ----------------------------------------------- */

static bool alu(uint16_t op, uint32_t *a, uint32_t operand)
{
    switch (op) {
    case BPF_ADD: *a += operand; return true;
    case BPF_SUB: *a -= operand; return true;
    case BPF_MUL: *a *= operand; return true;
    case BPF_DIV: *a = operand ? *a / operand : 0; return true;
    case BPF_MOD: *a = operand ? *a % operand : 0; return true;
    case BPF_AND: *a &= operand; return true;
    case BPF_OR: *a |= operand; return true;
    case BPF_XOR: *a ^= operand; return true;
    case BPF_LSH: *a = operand < 32 ? *a << operand : 0; return true;
    case BPF_RSH: *a = operand < 32 ? *a >> operand : 0; return true;
    case BPF_NEG: *a = -*a; return true;
    }
    return false;
}

static bool jump_taken(uint16_t op, uint32_t a, uint32_t operand, bool *known)
{
    *known = true;
    switch (op) {
    case BPF_JEQ: return a == operand;
    case BPF_JGT: return a > operand;
    case BPF_JGE: return a >= operand;
    case BPF_JSET: return (a & operand) != 0;
    }
    *known = false;
    return false;
}

/* A classic BPF interpreter over struct seccomp_data, the machine the kernel
 * runs seccomp filters on (loads are 32-bit words of that struct). */
static int run_filter(const struct sock_filter *prog, size_t count, const struct seccomp_data *data,
                      uint32_t *result, char *err, size_t errlen)
{
    uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {0};
    for (size_t pc = 0; pc < count; pc++) {
        const struct sock_filter *f = &prog[pc];
        uint16_t src = BPF_SRC(f->code);
        bool known = true;
        switch (BPF_CLASS(f->code)) {
        case BPF_LD:
        case BPF_LDX: {
            uint32_t *reg = BPF_CLASS(f->code) == BPF_LD ? &a : &x;
            if (BPF_MODE(f->code) == BPF_ABS && f->k % 4 == 0 && f->k + 4 <= sizeof *data)
                memcpy(reg, (const char *)data + f->k, 4);
            else if (BPF_MODE(f->code) == BPF_IMM)
                *reg = f->k;
            else if (BPF_MODE(f->code) == BPF_MEM && f->k < BPF_MEMWORDS)
                *reg = mem[f->k];
            else if (BPF_MODE(f->code) == BPF_LEN)
                *reg = sizeof *data;
            else
                known = false;
            break;
        }
        case BPF_ST:
        case BPF_STX:
            if (f->k < BPF_MEMWORDS)
                mem[f->k] = BPF_CLASS(f->code) == BPF_ST ? a : x;
            else
                known = false;
            break;
        case BPF_ALU:
            known = alu(BPF_OP(f->code), &a, src == BPF_X ? x : f->k);
            break;
        case BPF_JMP:
            if (BPF_OP(f->code) == BPF_JA)
                pc += f->k;
            else
                pc += jump_taken(BPF_OP(f->code), a, src == BPF_X ? x : f->k, &known) ? f->jt
                                                                                     : f->jf;
            break;
        case BPF_RET:
            *result = BPF_RVAL(f->code) == BPF_A ? a : f->k;
            return 0;
        case BPF_MISC:
            if (BPF_MISCOP(f->code) == BPF_TAX)
                x = a;
            else
                a = x;
            break;
        default:
            known = false;
        }
        if (!known) {
            sp_error(err, errlen, "unsupported BPF instruction 0x%04x at %zu", f->code, pc);
            return -1;
        }
    }
    sp_error(err, errlen, "the filter ended without returning a verdict");
    return -1;
}

int sp_seccomp_query(sp_seccomp_profile *p, const char *name, const uint64_t *args,
                     struct sp_seccomp_verdict *out, char *err, size_t errlen)
{
    struct sp_seccomp_verdict model;
    if (sp_seccomp_evaluate(p, name, args, &model, err, errlen) != 0)
        return -1;
    if (compiled_bpf(p, err, errlen) != 0)
        return -1;
    struct seccomp_data data = {
        .nr = sp_seccomp_syscall_number(name, NULL, 0),
        .arch = seccomp_arch_native(),
    };
    if (args != NULL)
        memcpy(data.args, args, sizeof data.args);
    uint32_t value;
    if (run_filter(p->bpf, p->bpf_len / sizeof(struct sock_filter), &data, &value, err,
                   errlen) != 0)
        return -1;
    sp_seccomp_verdict_from_value(value, out);
    out->rule = model.rule;
    return 0;
}
