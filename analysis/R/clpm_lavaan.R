#!/usr/bin/env Rscript
# Cross-lagged panel models of youth-rated alliance and treatment motivation in lavaan, from the
# wide CSV that `alliance-sim export FILE.h5 --format wide -o FILE.csv` writes.
#
# Usage:
#   Rscript analysis/R/clpm_lavaan.R FILE.csv [--scenario NAME] [--free-lags] [--one-sample]
#
# For each scenario in the file (or only NAME) it fits, as multi-group models with the setting
# (open / closed) as group and every path free in each group:
#   1. the classic cross-lagged panel model (CLPM): alliance and motivation at 6m regressed on
#      both at 3m, and at 9m on both at 6m, with the within-wave covariances (in general: each
#      wave of the panel on the one before; the panel is the waves after the first-impression
#      wave, or both waves of a two-wave scenario, as in analyse);
#   2. the random-intercept CLPM (RI-CLPM; Hamaker, Kuiper & Grasman 2015, lavaan syntax after
#      Mulder & Hamaker 2021): a random intercept per variable takes the stable, trait-like
#      differences between youths; the lagged paths then connect the within-person deviations
#      (needs three waves in the panel: not fitted with two).
# and prints the cross-lagged paths (and the autoregressive ones) of both, unstandardised with
# SE and p, and standardised (std.all), each estimated per replicate and pooled (below).
#
# Lagged paths are time-invariant by default: the 3m -> 6m and 6m -> 9m paths are constrained
# equal within each setting (the two lags are equally long, 91 days; with other waves, mind
# lags of unequal length and consider --free-lags). With three waves and the
# heavy attrition by 9 months the free RI-CLPM is often not identified empirically (it does not
# converge, or converges to negative variances) in small files; --free-lags estimates each lag
# separately, as analyse's per-replicate OLS does.
#
# Why both. The classic CLPM confounds stable between-person differences with within-person
# effects: a youth who is more motivated throughout and also rates the alliance higher throughout
# makes motivation(t-1) predict alliance(t) even if neither ever changes the other, because the
# autoregressive paths do not absorb a stable trait completely. Its cross-lagged paths answer a
# between-person question at best. The RI-CLPM separates the stable between-person part (random
# intercepts) from the within-person dynamics, so its cross-lagged paths say whether a youth whose
# alliance is above their own usual level becomes more motivated later: the question of
# "does alliance drive motivation". Compare the two to see how much of a CLPM path is trait.
#
# Replicates. Each replicate is one simulated institution: its own cohort of youths in its own
# living groups with their own mentors. The models are fitted to each replicate on its own and
# each path is pooled over the replicates whose fit converged: the mean estimate (est, std.all),
# the between-replicate SD (sd_rep: how much one institution's study would vary), the SE of the
# mean, sd_rep / sqrt(k) over k replicates, with a t test on k - 1 df (p), as analyse pools its
# per-replicate OLS paths, the mean of lavaan's per-replicate SEs (se_fit, to set beside sd_rep),
# and the share of replicates with p < .05 of their own (sig%, the power of one study).
# Why not all replicates as one sample: a fit of every youth of every replicate (n = 11 223 for
# 20 replicates) treats separate institutions as one huge study, so its SEs shrink with the
# number of replicates run and every path comes out "significant": the p-values would report the
# simulation's size, not the evidence. (It also ignores that youths share groups and mentors
# within a replicate and not across.) --one-sample still fits them together, for comparison.
#
# Data. Youths leave care during follow-up and their later waves are NA; the models use full-
# information maximum likelihood (missing = "ml"), which is unbiased when leaving depends on the
# observed earlier values (missing at random) — in the simulation leaving also depends on latent
# states, so treat the 9m paths with care. The CSV's NA strings are R's missing values.
#
# Base R and lavaan (Debian r-cran-lavaan, installed by scripts/setup.sh).

suppressPackageStartupMessages(library(lavaan))

fail <- function(...) {
  message("clpm_lavaan.R: ", ...)
  quit(status = 2)
}

args <- commandArgs(trailingOnly = TRUE)
file <- NULL
only <- NULL
free_lags <- FALSE
one_sample <- FALSE
i <- 1
while (i <= length(args)) {
  if (args[[i]] == "--free-lags") {
    free_lags <- TRUE
    i <- i + 1
  } else if (args[[i]] == "--one-sample") {
    one_sample <- TRUE
    i <- i + 1
  } else if (args[[i]] == "--scenario") {
    if (i == length(args)) fail("--scenario needs a value")
    only <- args[[i + 1]]
    i <- i + 2
  } else if (startsWith(args[[i]], "--")) {
    fail("unknown option ", args[[i]])
  } else {
    if (!is.null(file)) fail("give one CSV file")
    file <- args[[i]]
    i <- i + 1
  }
}
if (is.null(file))
  fail("usage: Rscript analysis/R/clpm_lavaan.R FILE.csv [--scenario NAME] [--free-lags] [--one-sample]")
if (!file.exists(file)) fail(file, ": no such file")

data <- read.csv(file, na.strings = "NA", stringsAsFactors = FALSE)
# The waves: the suffixes of the alliance_youth_<wave> columns, in column order (export names
# them by the scenario's waves: first, 3m, 6m, 9m by default). The panel uses the waves after the
# first-impression wave (3m, 6m, 9m), or both waves of a two-wave scenario, as analyse does.
wave_suffixes <- sub("^alliance_youth_", "", grep("^alliance_youth_", names(data), value = TRUE))
panel_waves <- if (length(wave_suffixes) >= 3) wave_suffixes[-1] else wave_suffixes
if (!all(c("scenario", "replicate", "setting") %in% names(data)) || length(panel_waves) == 0)
  fail(file, ": lacks the columns scenario, replicate, setting, alliance_youth_<wave> and ",
       "motivation_<wave> (write it with alliance-sim export FILE.h5 --format wide)")
needed <- c(paste0("alliance_youth_", panel_waves), paste0("motivation_", panel_waves))
missing_columns <- setdiff(needed, names(data))
if (length(missing_columns) > 0)
  fail(file, ": lacks the columns ", paste(missing_columns, collapse = ", "),
       " (write it with alliance-sim export FILE.h5 --format wide)")
if (length(panel_waves) < 2)
  fail(file, ": has one wave (", panel_waves, "); a cross-lagged panel needs at least two")
K <- length(panel_waves)

# Short names for the model syntax: a = youth-rated alliance, m = motivation; 1..K the waves of
# the panel (3m, 6m, 9m in the study).
long_name <- character(0)
for (k in seq_len(K)) {
  data[[paste0("a", k)]] <- data[[paste0("alliance_youth_", panel_waves[k])]]
  data[[paste0("m", k)]] <- data[[paste0("motivation_", panel_waves[k])]]
  long_name[paste0("a", k)] <- paste0("alliance_youth_", panel_waves[k])
  long_name[paste0("m", k)] <- paste0("motivation_", panel_waves[k])
}
data$setting_name <- factor(ifelse(data$setting == 0, "open", "closed"), levels = c("open", "closed"))
lag_text <- paste(paste0(panel_waves[-K], "->", panel_waves[-1]), collapse = " and ")

# Lagged paths; `lag(x)` puts the same label on every lag (equal paths within each setting, free
# between settings), or none with --free-lags.
lag <- function(name) if (free_lags || K == 2) "" else sprintf("c(%s_open, %s_closed)*", name, name)
lagged <- function(prefix) paste(vapply(seq_len(K - 1), function(k) sprintf("
  %1$sa%7$d ~ %2$s%1$sa%6$d + %3$s%1$sm%6$d
  %1$sm%7$d ~ %4$s%1$sa%6$d + %5$s%1$sm%6$d", prefix, lag("aa"), lag("ma"), lag("am"), lag("mm"),
  k, k + 1L), ""), collapse = "")
lines <- function(fmt, ks = seq_len(K)) paste(sprintf(fmt, ks, ks), collapse = "\n")

clpm_model <- paste0(lagged(""), "
  # covariance at the first wave, residual covariances at the later ones
", lines("  a%d ~~ m%d"), "\n")

riclpm_model <- paste0(lagged("w"), "
  # random intercepts: the stable between-person part of each variable
  RIa =~ ", paste0("1*a", seq_len(K), collapse = " + "), "
  RIm =~ ", paste0("1*m", seq_len(K), collapse = " + "), "
  RIa ~~ RIa
  RIm ~~ RIm
  RIa ~~ RIm
  # within-person deviations from the youth's own intercept
", lines("  wa%d =~ 1*a%d"), "\n", lines("  wm%d =~ 1*m%d"), "\n",
lines("  a%d ~~ 0*a%d"), "\n", lines("  m%d ~~ 0*m%d"), "
  # (the lagged paths, above, connect the within-person parts)
  # within-wave (residual) covariances and variances
", lines("  wa%d ~~ wm%d"), "\n",
paste(sprintf("  wa%d ~~ wa%d\n  wm%d ~~ wm%d", seq_len(K), seq_len(K), seq_len(K), seq_len(K)),
      collapse = "\n"), "
  # the random intercepts are uncorrelated with the first within-person wave
  RIa ~~ 0*wa1 + 0*wm1
  RIm ~~ 0*wa1 + 0*wm1
")

# Fits a model, keeping lavaan's warnings (small samples, Heywood cases) to print beside it.
fit_model <- function(model, d, fitter) {
  notes <- character(0)
  fit <- withCallingHandlers(
    # h1 and baseline off: no saturated or baseline model (only the paths are printed, no fit
    # indices). At most 1000 optimizer iterations: fits that converge take a few hundred, and
    # one that runs on (an RI-CLPM without a proper solution in a small replicate) would take
    # seconds to tens of seconds each; it counts as not converged.
    tryCatch(fitter(model, data = d, group = "setting_name", group.label = c("open", "closed"),
                    missing = "ml", h1 = FALSE, baseline = FALSE,
                    control = list(iter.max = 1000)),
             error = function(e) { notes <<- c(notes, conditionMessage(e)); NULL }),
    warning = function(w) {
      notes <<- c(notes, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  list(fit = fit, notes = unique(notes))
}

# The regression paths of one fit: group (1 open, 2 closed), lhs, rhs, label, est, se, p,
# std.all; NULL when the fit failed or did not converge. A path constrained equal over the two
# lags is kept once, with the std.all of its first lag (3m -> 6m): standardised values differ
# between the lags even when the paths are equal.
fit_paths <- function(result) {
  fit <- result$fit
  if (is.null(fit) || !lavInspect(fit, "converged")) return(NULL)
  pe <- parameterEstimates(fit)
  ss <- standardizedSolution(fit)
  paths <- pe[pe$op == "~", ]
  if (is.null(paths$label)) paths$label <- ""  # no labels at all with --free-lags
  paths <- paths[paths$label == "" | !duplicated(paste(paths$group, paths$label)), ]
  std <- ss[ss$op == "~", ]
  std <- std[match(paste(paths$lhs, paths$rhs, paths$group), paste(std$lhs, std$rhs, std$group)), ]
  data.frame(group = paths$group, lhs = paths$lhs, rhs = paths$rhs, label = paths$label,
             est = paths$est, se = paths$se, p = paths$pvalue, std = std$est.std,
             stringsAsFactors = FALSE)
}

# Fits `model` in each replicate of `d` and pools each path over the replicates whose fit
# converged (or fits all of `d` once with --one-sample), and prints the paths.
print_paths <- function(label, model, d, fitter) {
  units <- if (one_sample) list(all = d) else split(d, d$replicate)
  per <- list()
  notes <- character(0)
  n <- integer(0)
  for (u in names(units)) {
    result <- fit_model(model, units[[u]], fitter)
    notes <- union(notes, result$notes)
    paths <- fit_paths(result)
    if (is.null(paths)) next
    per[[u]] <- paths
    n <- c(n, lavInspect(result$fit, "ntotal"))
  }
  lags <- if (free_lags || K == 2) "free per lag" else paste("equal over", lag_text)
  fallback <- FALSE
  if (length(per) == 0 && !one_sample) {
    # Replicates too small for the model (often the RI-CLPM): one fit of all of them instead,
    # said as such, rather than nothing.
    result <- fit_model(model, d, fitter)
    notes <- union(notes, result$notes)
    paths <- fit_paths(result)
    if (!is.null(paths)) {
      per <- list(all = paths)
      fallback <- TRUE
      cat(sprintf("  %s: no replicate's own fit converged (replicates of %.0f youths on average are too small for it)\n",
                  label, nrow(d) / length(units)))
      n <- lavInspect(result$fit, "ntotal")
    }
  }
  for (note in notes) cat(sprintf("  note (%s): %s\n", label, gsub("\\s+", " ", note)))
  if (length(per) == 0) {
    cat(sprintf("  %s, lagged paths %s: not estimable (no %s converged)\n", label, lags,
                if (one_sample) "fit" else "fit, per replicate or of all replicates together,"))
    return(invisible())
  }
  k <- length(per)
  if (one_sample || fallback)
    cat(sprintf("  %s, lagged paths %s, all replicates as ONE sample (n = %d): p-values and SEs treat %d youths of separate institutions as one study\n",
                label, lags, n, n))
  else
    cat(sprintf("  %s, lagged paths %s (converged in %d of %d replicates, mean n = %.0f per replicate)\n",
                label, lags, k, length(units), mean(n)))
  cat(sprintf("  %-8s %-7s %-15s %-40s %8s %7s %7s %8s %7s %7s %5s\n", "model", "setting", "kind",
              "path", "est", "se", "p", "std.all", "sd_rep", "se_fit", "sig%"))
  first <- per[[1]]
  groups <- c("open", "closed")
  # Within-person names (wa2, wm1) map to the observed variables (a2, m1).
  observed <- function(x) sub("^w", "", x)
  variable_of <- function(x) if (startsWith(x, "a")) "alliance_youth" else "motivation"
  for (j in seq_len(nrow(first))) {
    key <- paste(first$group[j], first$lhs[j], first$rhs[j])
    rows <- do.call(rbind, lapply(per, function(p) p[paste(p$group, p$lhs, p$rhs) == key, ]))
    rows <- rows[is.finite(rows$est), ]
    m <- nrow(rows)
    est <- mean(rows$est)
    sd_rep <- if (m > 1) sd(rows$est) else NA_real_
    if (one_sample || fallback || m < 2) {
      # One fit: lavaan's own SE and p.
      se <- if (m == 1) rows$se else NA_real_
      p <- if (m == 1) rows$p else NA_real_
    } else {
      # The mean of m independent replicate estimates: SE from their spread, t with m - 1 df
      # (as analyse pools its per-replicate OLS paths).
      se <- sd_rep / sqrt(m)
      p <- 2 * pt(-abs(est / se), df = m - 1)
    }
    from <- observed(first$rhs[j])
    to <- observed(first$lhs[j])
    kind <- if (substr(from, 1, 1) == substr(to, 1, 1)) "autoregressive" else "cross-lagged"
    path <- if (first$label[j] == "") paste(long_name[[from]], "->", long_name[[to]]) else
      sprintf("%s(t-1) -> %s(t)", variable_of(from), variable_of(to))
    cat(sprintf("  %-8s %-7s %-15s %-40s %8.3f %7.3f %7.3f %8.3f %7.3f %7.3f %5.0f\n", label,
                groups[first$group[j]], kind, path, est, se, p, mean(rows$std, na.rm = TRUE),
                sd_rep, mean(rows$se, na.rm = TRUE), 100 * mean(rows$p < 0.05, na.rm = TRUE)))
  }
}

scenarios <- unique(data$scenario)
if (!is.null(only)) {
  if (!(only %in% scenarios)) fail(file, ": no scenario '", only, "' (scenarios: ",
                                   paste(scenarios, collapse = ", "), ")")
  scenarios <- only
}
if (one_sample) {
  cat("--one-sample: every scenario's replicates are fitted together as one sample. The SEs and\n",
      "p-values then shrink with the number of replicates run, not with the evidence one study\n",
      "would have; use it only to compare with the per-replicate default.\n\n", sep = "")
} else {
  cat("Each replicate (one simulated institution) is fitted on its own and the paths are pooled\n",
      "over the replicates whose fit converged: est and std.all are the means over replicates,\n",
      "sd_rep the between-replicate SD (the spread of what one institution's study would find),\n",
      "se = sd_rep / sqrt(replicates) the SE of the pooled mean and p its t test with\n",
      "replicates - 1 df (as analyse pools its per-replicate paths), se_fit the mean of lavaan's\n",
      "per-replicate SEs (compare it with sd_rep), and sig% the share of replicates whose own\n",
      "path has p < .05 (the power of one institution's study). Why not one fit of all youths:\n",
      "the replicates are separate institutions, so one sample of all of them (thousands of\n",
      "youths) makes every SE as small as the number of replicates run, and its p-values say how\n",
      "many replicates were run rather than how strong the evidence is. The pooled p answers\n",
      "whether the model's expected path differs from 0; for one study, read sd_rep and sig%.\n\n",
      sep = "")
}
for (s in scenarios) {
  d <- data[data$scenario == s, ]
  # Youths never measured at a wave of the panel carry no information for these models.
  d <- d[rowSums(!is.na(d[, names(long_name)])) > 0, ]
  cat(sprintf("scenario %s: %d youths with at least one of the %s measurements (%s) in %d replicates\n",
              s, nrow(d), paste(panel_waves, collapse = "/"),
              paste(sprintf("%s %d", levels(d$setting_name), as.vector(table(d$setting_name))),
                    collapse = ", "), length(unique(d$replicate))))
  print_paths("CLPM", clpm_model, d, sem)
  if (K >= 3) {
    print_paths("RI-CLPM", riclpm_model, d, function(...) lavaan(..., meanstructure = TRUE,
                                                                  int.ov.free = TRUE))
  } else {
    cat("  RI-CLPM: needs at least three waves in the panel (this one has two); not fitted\n")
  }
  cat("\n")
}
