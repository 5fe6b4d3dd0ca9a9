#!/usr/bin/env Rscript
# Cross-lagged panel models of youth-rated alliance and treatment motivation in lavaan, from the
# wide CSV that `alliance-sim export FILE.h5 --format wide -o FILE.csv` writes.
#
# Usage:
#   Rscript analysis/R/clpm_lavaan.R FILE.csv [--scenario NAME] [--free-lags]
#
# For each scenario in the file (or only NAME) it fits, as multi-group models with the setting
# (open / closed) as group and every path free in each group:
#   1. the classic cross-lagged panel model (CLPM): alliance and motivation at 6m regressed on
#      both at 3m, and at 9m on both at 6m, with the within-wave covariances;
#   2. the random-intercept CLPM (RI-CLPM; Hamaker, Kuiper & Grasman 2015, lavaan syntax after
#      Mulder & Hamaker 2021): a random intercept per variable takes the stable, trait-like
#      differences between youths; the lagged paths then connect the within-person deviations.
# and prints the cross-lagged paths (and the autoregressive ones) of both, unstandardised with
# SE and p, and standardised (std.all).
#
# Lagged paths are time-invariant by default: the 3m -> 6m and 6m -> 9m paths are constrained
# equal within each setting (the two lags are equally long, 91 days). With three waves and the
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
# Data. Replicates are independent samples of the same simulated population, so all replicates
# of a scenario are fitted together as one sample (the `replicate` column allows per-replicate
# fits). Youths leave care during follow-up and their later waves are NA; the models use full-
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
i <- 1
while (i <= length(args)) {
  if (args[[i]] == "--free-lags") {
    free_lags <- TRUE
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
if (is.null(file)) fail("usage: Rscript analysis/R/clpm_lavaan.R FILE.csv [--scenario NAME] [--free-lags]")
if (!file.exists(file)) fail(file, ": no such file")

data <- read.csv(file, na.strings = "NA", stringsAsFactors = FALSE)
needed <- c("scenario", "setting", paste0(rep(c("alliance_youth_", "motivation_"), each = 3),
                                          c("3m", "6m", "9m")))
missing_columns <- setdiff(needed, names(data))
if (length(missing_columns) > 0)
  fail(file, ": lacks the columns ", paste(missing_columns, collapse = ", "),
       " (write it with alliance-sim export FILE.h5 --format wide)")

# Short names for the model syntax: a = youth-rated alliance, m = motivation; 3, 6, 9 months.
data$a3 <- data$alliance_youth_3m
data$a6 <- data$alliance_youth_6m
data$a9 <- data$alliance_youth_9m
data$m3 <- data$motivation_3m
data$m6 <- data$motivation_6m
data$m9 <- data$motivation_9m
data$setting_name <- factor(ifelse(data$setting == 0, "open", "closed"), levels = c("open", "closed"))
long_name <- c(a3 = "alliance_youth_3m", a6 = "alliance_youth_6m", a9 = "alliance_youth_9m",
               m3 = "motivation_3m", m6 = "motivation_6m", m9 = "motivation_9m")

# Lagged paths; `lag(x)` puts the same label on both lags (equal paths within each setting, free
# between settings), or none with --free-lags.
lag <- function(name) if (free_lags) "" else sprintf("c(%s_open, %s_closed)*", name, name)
lagged <- function(prefix) sprintf("
  %1$sa6 ~ %2$s%1$sa3 + %3$s%1$sm3
  %1$sm6 ~ %4$s%1$sa3 + %5$s%1$sm3
  %1$sa9 ~ %2$s%1$sa6 + %3$s%1$sm6
  %1$sm9 ~ %4$s%1$sa6 + %5$s%1$sm6
", prefix, lag("aa"), lag("ma"), lag("am"), lag("mm"))

clpm_model <- paste0(lagged(""), "
  # wave 3m covariance, residual covariances at 6m and 9m
  a3 ~~ m3
  a6 ~~ m6
  a9 ~~ m9
")

riclpm_model <- paste0(lagged("w"), "
  # random intercepts: the stable between-person part of each variable
  RIa =~ 1*a3 + 1*a6 + 1*a9
  RIm =~ 1*m3 + 1*m6 + 1*m9
  RIa ~~ RIa
  RIm ~~ RIm
  RIa ~~ RIm
  # within-person deviations from the youth's own intercept
  wa3 =~ 1*a3
  wa6 =~ 1*a6
  wa9 =~ 1*a9
  wm3 =~ 1*m3
  wm6 =~ 1*m6
  wm9 =~ 1*m9
  a3 ~~ 0*a3
  a6 ~~ 0*a6
  a9 ~~ 0*a9
  m3 ~~ 0*m3
  m6 ~~ 0*m6
  m9 ~~ 0*m9
  # (the lagged paths, above, connect the within-person parts)
  # within-wave (residual) covariances and variances
  wa3 ~~ wm3
  wa6 ~~ wm6
  wa9 ~~ wm9
  wa3 ~~ wa3
  wm3 ~~ wm3
  wa6 ~~ wa6
  wm6 ~~ wm6
  wa9 ~~ wa9
  wm9 ~~ wm9
  # the random intercepts are uncorrelated with the first within-person wave
  RIa ~~ 0*wa3 + 0*wm3
  RIm ~~ 0*wa3 + 0*wm3
")

# Fits a model, keeping lavaan's warnings (small samples, Heywood cases) to print beside it.
fit_model <- function(model, d, fitter) {
  notes <- character(0)
  fit <- withCallingHandlers(
    tryCatch(fitter(model, data = d, group = "setting_name", group.label = c("open", "closed"),
                    missing = "ml"),
             error = function(e) { notes <<- c(notes, conditionMessage(e)); NULL }),
    warning = function(w) {
      notes <<- c(notes, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  list(fit = fit, notes = unique(notes))
}

print_paths <- function(label, result) {
  for (n in result$notes) cat(sprintf("  note (%s): %s\n", label, gsub("\\s+", " ", n)))
  if (is.null(result$fit)) {
    cat(sprintf("  %s: not estimable\n", label))
    return(invisible())
  }
  fit <- result$fit
  groups <- lavInspect(fit, "group.label")
  pe <- parameterEstimates(fit)
  ss <- standardizedSolution(fit)
  paths <- pe[pe$op == "~", ]
  if (is.null(paths$label)) paths$label <- ""  # no labels at all with --free-lags
  # A path constrained equal over the two lags is printed once.
  paths <- paths[paths$label == "" | !duplicated(paste(paths$group, paths$label)), ]
  std <- ss[ss$op == "~", ]
  # Standardised values differ between the lags even when the paths are equal: std.all is that
  # of the first lag (3m -> 6m) for a constrained path.
  std <- std[match(paste(paths$lhs, paths$rhs, paths$group), paste(std$lhs, std$rhs, std$group)), ]
  # Within-person names (wa6, wm3) map to the observed variables (a6, m3).
  observed <- function(x) sub("^w", "", x)
  cat(sprintf("  %s, lagged paths %s (converged: %s, n = %d)\n", label,
              if (free_lags) "free per lag" else "equal over 3m->6m and 6m->9m",
              if (lavInspect(fit, "converged")) "yes" else "NO", lavInspect(fit, "ntotal")))
  cat(sprintf("  %-8s %-7s %-15s %-40s %8s %7s %7s %8s\n", "model", "setting", "kind", "path",
              "est", "se", "p", "std.all"))
  for (k in seq_len(nrow(paths))) {
    from <- observed(paths$rhs[k])
    to <- observed(paths$lhs[k])
    kind <- if (substr(from, 1, 1) == substr(to, 1, 1)) "autoregressive" else "cross-lagged"
    path <- if (paths$label[k] == "") paste(long_name[[from]], "->", long_name[[to]]) else
      sprintf("%s(t-1) -> %s(t)", sub("_3m$|_6m$", "", long_name[[from]]),
              sub("_6m$|_9m$", "", long_name[[to]]))
    cat(sprintf("  %-8s %-7s %-15s %-40s %8.3f %7.3f %7.3f %8.3f\n", label,
                groups[paths$group[k]], kind, path, paths$est[k], paths$se[k],
                paths$pvalue[k], std$est.std[k]))
  }
}

scenarios <- unique(data$scenario)
if (!is.null(only)) {
  if (!(only %in% scenarios)) fail(file, ": no scenario '", only, "' (scenarios: ",
                                   paste(scenarios, collapse = ", "), ")")
  scenarios <- only
}
for (s in scenarios) {
  d <- data[data$scenario == s, ]
  # Youths never measured at 3m, 6m or 9m carry no information for these models.
  d <- d[rowSums(!is.na(d[, c("a3", "a6", "a9", "m3", "m6", "m9")])) > 0, ]
  cat(sprintf("scenario %s: %d youths with at least one of the 3m/6m/9m measurements (%s)\n", s,
              nrow(d), paste(sprintf("%s %d", levels(d$setting_name), as.vector(table(d$setting_name))),
                             collapse = ", ")))
  print_paths("CLPM", fit_model(clpm_model, d, sem))
  print_paths("RI-CLPM", fit_model(riclpm_model, d, function(...) lavaan(..., meanstructure = TRUE,
                                                                           int.ov.free = TRUE)))
  cat("\n")
}
