#!/usr/bin/env Rscript
# Regenerates the survival test fixtures from R's `survival` and `relsurv` packages (Debian: r-base-core
# r-cran-survival r-cran-relsurv). The tests compare this project's numbers with these files and need no R.
# Usage: Rscript scripts/survival-fixtures.R   (run from the repository root)
suppressMessages({ library(survival); library(relsurv) })
out <- "Tests/SurvivalTests/Fixtures"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
options(digits = 17)
w <- function(x, name) write.csv(x, file.path(out, name), row.names = FALSE, quote = FALSE)

# Cases: three groups with different hazards, whole-month times (many ties), random censoring.
set.seed(20261123)
n <- c(A = 180, B = 150, C = 120)
cases <- do.call(rbind, lapply(names(n), function(g) {
  rate <- c(A = 0.010, B = 0.025, C = 0.060)[[g]]
  death <- rexp(n[[g]], rate); censor <- runif(n[[g]], 0, 120)
  data.frame(time_months = floor(pmin(death, censor)), event = as.integer(death <= censor), group = g)
}))
w(cases, "km_cases.csv")

fit_for <- function(type) survfit(Surv(time_months, event) ~ group, data = cases, conf.type = type)
fit <- fit_for("log-log"); fit_log <- fit_for("log"); fit_plain <- fit_for("plain")
groups <- rep(sub("group=", "", names(fit$strata)), fit$strata)
w(data.frame(group = groups, time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event, n_censor = fit$n.censor,
             survival = fit$surv, std_err = fit$surv * fit$std.err,
             lower_loglog = fit$lower, upper_loglog = fit$upper, lower_log = fit_log$lower, upper_log = fit_log$upper,
             lower_plain = fit_plain$lower, upper_plain = fit_plain$upper), "km_expected.csv")

# summary(fit, times = ...): the rows of `registry survival --times 12,24,36,60 --format csv`.
s <- summary(fit, times = c(12, 24, 36, 60))
w(data.frame(group = sub("group=", "", as.character(s$strata)), time_months = s$time, n_risk = s$n.risk,
             n_event = s$n.event, survival = s$surv, std_err = s$std.err, lower95 = s$lower, upper95 = s$upper),
  "km_times_expected.csv")

# Medians with confidence limits, for each confidence type.
med <- do.call(rbind, lapply(c("log-log", "log", "plain"), function(type) {
  q <- quantile(fit_for(type), probs = 0.5)
  data.frame(conf_type = type, group = sub("group=", "", rownames(q$quantile)),
             median = q$quantile[, 1], lower = q$lower[, 1], upper = q$upper[, 1])
}))
w(med, "median_expected.csv")

# A curve whose survival is exactly 0.5 over an interval, and one that ends at 0.5 (R averages the times).
flat <- data.frame(time_months = c(1, 2, 3, 4), event = c(1, 1, 1, 1), group = "F")
flat2 <- data.frame(time_months = c(2, 4, 6, 8), event = c(1, 1, 0, 0), group = "G")
special <- rbind(flat, flat2)
w(special, "median_special_cases.csv")
qs <- quantile(survfit(Surv(time_months, event) ~ group, data = special), probs = 0.5)
w(data.frame(group = sub("group=", "", rownames(qs$quantile)), median = qs$quantile[, 1],
             lower = qs$lower[, 1], upper = qs$upper[, 1]), "median_special_expected.csv")

# Log-rank: all groups, then stratified by a second factor.
cases$stratum <- ifelse(seq_len(nrow(cases)) %% 2 == 0, "even", "odd")
w(cases[, c("time_months", "event", "group", "stratum")], "logrank_cases.csv")
lr <- survdiff(Surv(time_months, event) ~ group, data = cases)
lrs <- survdiff(Surv(time_months, event) ~ group + strata(stratum), data = cases)
df <- function(x) length(x$n) - 1
w(data.frame(test = c("logrank", "stratified"), chisq = c(lr$chisq, lrs$chisq), df = c(df(lr), df(lrs)),
             p = c(pchisq(lr$chisq, df(lr), lower.tail = FALSE), pchisq(lrs$chisq, df(lrs), lower.tail = FALSE)),
             log_p = c(pchisq(lr$chisq, df(lr), lower.tail = FALSE, log.p = TRUE),
                       pchisq(lrs$chisq, df(lrs), lower.tail = FALSE, log.p = TRUE))), "logrank_expected.csv")
w(data.frame(group = sub("group=", "", names(lr$n)), observed = lr$obs, expected = lr$exp), "logrank_groups_expected.csv")

# A chi-square so large that the p-value underflows a double: the log p-value still has to be right.
set.seed(7)
big <- rbind(data.frame(time_months = rexp(4000, 0.002), event = 1, group = "slow"),
             data.frame(time_months = rexp(4000, 0.2), event = 1, group = "fast"))
w(big, "logrank_big_cases.csv")
lb <- survdiff(Surv(time_months, event) ~ group, data = big)
w(data.frame(chisq = lb$chisq, df = 1, log_p = pchisq(lb$chisq, 1, lower.tail = FALSE, log.p = TRUE)),
  "logrank_big_expected.csv")

# Net survival (Pohar-Perme) and relative survival inputs: a population table in this project's CSV format
# (year,sex,age,qx), read back into an R ratetable with the same conventions the Swift code uses:
# daily hazard = -log(1 - qx) / 365.241, age cut points every 365.241 days, calendar years starting on 1 January.
years <- 1995:2014
us <- survexp.us
table <- do.call(rbind, lapply(years, function(y) do.call(rbind, lapply(c("male", "female"), function(s)
  data.frame(year = y, sex = s, age = 0:109, qx = signif(1 - exp(-365.25 * us[, s, as.character(y)]), 7))))))
w(table, "lifetable_fixture.csv")
hazard <- array(-log(1 - table$qx) / 365.241, dim = c(110, 2, length(years)),
                dimnames = list(as.character(0:109), c("male", "female"), as.character(years)))
rt <- hazard
attributes(rt) <- c(attributes(hazard), list(
  dimid = c("age", "sex", "year"), type = c(2, 1, 3),
  cutpoints = list((0:109) * 365.241, NULL, as.Date(paste0(years, "-01-01"))),
  class = "ratetable"))

set.seed(99)
m <- 400
net <- data.frame(age_days = round(runif(m, 40, 88) * 365.241), sex = sample(c("male", "female"), m, TRUE),
                  dx_date = as.Date("1998-01-01") + floor(runif(m, 0, 9 * 365)),
                  group = sample(c("early", "late"), m, TRUE))
excess <- ifelse(net$group == "early", 0.0002, 0.0008)   # cancer hazard per day
background <- 0.00005 * exp(0.09 * (net$age_days / 365.241 - 40))
death <- ceiling(rexp(m, excess + background)); censor <- ceiling(runif(m, 30, 12 * 365))
net$time_days <- pmin(death, censor); net$status <- as.integer(death <= censor)
w(net, "net_cases.csv")
net_fit <- function(g) {
  pp <- rs.surv(Surv(time_days, status) ~ 1, data = net[net$group == g, ], ratetable = rt, method = "pohar-perme",
                rmap = list(age = age_days, sex = sex, year = dx_date))
  data.frame(group = g, time = pp$time, n_risk = pp$n.risk, n_event = pp$n.event, survival = pp$surv, std_err = pp$std.err)
}
w(rbind(net_fit("early"), net_fit("late")), "net_expected.csv")

# Period analysis (Brenner): follow-up inside a calendar window only, as left-truncated (delayed entry) data.
set.seed(5)
k <- 300
period <- data.frame(entry = pmax(0, floor(runif(k, -40, 30))))
period$exit <- period$entry + 1 + floor(rexp(k, 0.03))
period$event <- rbinom(k, 1, 0.7)
w(period, "period_cases.csv")
pf <- survfit(Surv(entry, exit, event) ~ 1, data = period, conf.type = "log-log")
w(data.frame(time = pf$time, n_risk = pf$n.risk, n_event = pf$n.event, n_censor = pf$n.censor, survival = pf$surv,
             std_err = pf$surv * pf$std.err, lower = pf$lower, upper = pf$upper), "period_expected.csv")
