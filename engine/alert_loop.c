/* The background alert evaluator (include/sandprobe/alert_loop.h): a thread
 * that evaluates the rules over a metrics registry on an interval, records
 * sandprobe_alerts_firing and posts to an Alertmanager. */
#include "sandprobe/alert_loop.h"
#include "sandprobe/clock.h"
#include "sandprobe/metrics_catalogue.h"
#include "sandprobe/ticker.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sp_alert_loop {
    struct sp_alerts *alerts;
    sp_metrics_registry *registry;
    double interval;
    char *url;
    long timeout_ms;
    bool post_failing; /* thread only: report a failure streak once */
    pthread_t thread;
    struct sp_ticker ticker; /* its lock guards rounds */
    unsigned long rounds;
};

static void record_firing(struct sp_alert_loop *loop)
{
    sp_metric_family *firing = sp_metrics_find(loop->registry, "sandprobe_alerts_firing");
    size_t n = sp_alerts_count(loop->alerts);
    for (size_t i = 0; i < n; i++) {
        struct sp_alert_status st;
        if (sp_alerts_status(loop->alerts, i, &st) != 0)
            continue;
        const char *values[] = {st.name};
        sp_metric_gauge_set(firing, values, st.state == SP_ALERT_FIRING ? 1 : 0);
    }
}

static void post_alerts(struct sp_alert_loop *loop)
{
    char err[512];
    if (sp_alerts_send(loop->alerts, loop->url, loop->timeout_ms, err, sizeof err) >= 0) {
        loop->post_failing = false;
        return;
    }
    if (!loop->post_failing)
        fprintf(stderr, "sandprobe: cannot post alerts to %s: %s (retrying)\n", loop->url, err);
    loop->post_failing = true;
}

static void evaluate_round(struct sp_alert_loop *loop)
{
    size_t n = sp_alerts_count(loop->alerts);
    struct sp_alert_transition *out = calloc(n > 0 ? n : 1, sizeof *out);
    if (out != NULL)
        sp_alerts_evaluate(loop->alerts, sp_clock_wall(), sp_metrics_alert_lookup, loop->registry,
                           out, n);
    free(out);
    record_firing(loop);
    if (loop->url != NULL)
        post_alerts(loop);
}

static void *alert_loop_thread(void *arg)
{
    struct sp_alert_loop *loop = arg;
    pthread_mutex_lock(&loop->ticker.lock);
    do {
        /* Evaluated and posted unlocked: stop must not wait behind a slow
         * Alertmanager any longer than the post's own timeout. */
        pthread_mutex_unlock(&loop->ticker.lock);
        evaluate_round(loop);
        pthread_mutex_lock(&loop->ticker.lock);
        loop->rounds++;
    } while (sp_ticker_wait_locked(&loop->ticker, loop->interval));
    pthread_mutex_unlock(&loop->ticker.lock);
    return NULL;
}

static void free_loop(struct sp_alert_loop *loop)
{
    sp_ticker_destroy(&loop->ticker);
    free(loop->url);
    free(loop);
}

struct sp_alert_loop *sp_alert_loop_start(struct sp_alerts *alerts,
                                          const struct sp_alert_loop_config *config, char *err,
                                          size_t errlen)
{
    double interval = config->interval_seconds > 0 ? config->interval_seconds
                                                   : SP_ALERT_LOOP_DEFAULT_INTERVAL;
    if (interval < SP_ALERT_LOOP_MIN_INTERVAL) {
        snprintf(err, errlen, "alert evaluation interval below %g s", SP_ALERT_LOOP_MIN_INTERVAL);
        return NULL;
    }
    if (alerts == NULL || config->registry == NULL) {
        snprintf(err, errlen, "alert loop needs rules and a registry");
        return NULL;
    }
    struct sp_alert_loop *loop = calloc(1, sizeof *loop);
    if (loop == NULL || sp_ticker_init(&loop->ticker) != 0) {
        free(loop);
        snprintf(err, errlen, "alerts: out of memory");
        return NULL;
    }
    loop->alerts = alerts;
    loop->registry = config->registry;
    loop->interval = interval;
    loop->timeout_ms = config->timeout_ms;
    if (config->alertmanager_url != NULL && (loop->url = strdup(config->alertmanager_url)) == NULL) {
        free_loop(loop);
        snprintf(err, errlen, "alerts: out of memory");
        return NULL;
    }
    int rc = pthread_create(&loop->thread, NULL, alert_loop_thread, loop);
    if (rc != 0) {
        free_loop(loop);
        snprintf(err, errlen, "alerts: cannot start thread: %s", strerror(rc));
        return NULL;
    }
    return loop;
}

unsigned long sp_alert_loop_rounds(struct sp_alert_loop *loop)
{
    pthread_mutex_lock(&loop->ticker.lock);
    unsigned long rounds = loop->rounds;
    pthread_mutex_unlock(&loop->ticker.lock);
    return rounds;
}

void sp_alert_loop_stop(struct sp_alert_loop *loop)
{
    if (loop == NULL)
        return;
    sp_ticker_stop(&loop->ticker);
    pthread_join(loop->thread, NULL);
    free_loop(loop);
}
