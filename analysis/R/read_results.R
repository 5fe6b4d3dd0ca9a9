#!/usr/bin/env Rscript
# Reads an alliance-sim result file into tidy data frames (base R and hdf5r only).
#
# Usage:
#   Rscript analysis/R/read_results.R FILE.h5 [--scenario NAME] [--csv DIR]
#
# The same tables and summary as analysis/python/read_results.py:
#   - a long data frame, one row per (scenario, replicate, youth, wave): scenario, replicate,
#     youth, wave, wave_day, setting, externalising, and every measure of youth/waves/;
#   - a wide data frame, one row per (scenario, replicate, youth): youth/static/ and outcomes/;
#   - every coded field is an R factor whose levels are the meanings of its codes, in code order:
#     setting (open, closed), profile (externalising, internalising, mixed), exit_reason (in_care,
#     planned_discharge, drop-out, absconded, transferred), and the 0/1 fields female,
#     externalising, mandated, closed_indicated, favourable, premature_exit (no, yes). The levels
#     are the dataset's flag_values/flag_meanings attributes (schema_version 2), or the same codes
#     built in below for schema_version 1 files, which lack them. So table(wide$exit_reason)
#     counts by name, and glm(favourable ~ ..., family = binomial) models "yes". (The Python
#     reader keeps the numeric codes; with --csv, R writes the level names.) setting_name, the
#     same factor as setting, is kept for scripts written before setting was one;
#   - printed: mean youth-rated alliance per wave by setting, favourable % by setting, and the
#     machine-checkable line
#       check <scenario> mean_alliance_youth_first_open=3.8412
#     that tests/e2e/test_readers.cpp compares with the Python reader and with C++.
# With --csv DIR it writes DIR/waves_long.csv and DIR/youth_outcomes.csv.
#
# Dimension order. The file stores youth/waves/<measure> as [replicate, youth, wave] in C
# (row-major) order. hdf5r returns it as an R array with the dimensions reversed,
# dim = c(wave, youth, replicate), so x[w, n, r] here is x[r-1, n-1, w-1] in h5py. In column-major
# order the first dimension varies fastest, so as.vector(x) lists wave fastest, then youth, then
# replicate: exactly the row order of the Python long table. read_dataset() below checks the
# reversed shape against the dimension scales before any value is used.
#
# Replicate and youth numbers are written 0-based, as in the file and in Python.
# Only dataset names documented in docs/hdf5-schema.md (schema_version 2, and 1) are used, and only the
# first `replicates_written` replicates of each scenario.

suppressPackageStartupMessages(library(hdf5r))

schema_versions <- c(2L, 1L)  # 2: netCDF-4 layout; 1: coordinates in sibling groups
wave_measures <- c(
  "alliance_youth", "alliance_mentor", "alliance_parent", "alliance_observer", "motivation",
  "problems", "climate_support", "climate_growth", "climate_atmosphere", "climate_repression",
  "srs", "parent_outcome", "alliance_true", "alliance_true_bond", "alliance_true_goals",
  "alliance_true_tasks", "alliance_true_others", "alliance_true_parent", "motivation_true",
  "problems_true", "engagement_true", "peer_standing_true")
static_fields <- c(
  "intake_index", "setting", "group", "mentor", "admission_day", "age", "female", "profile",
  "externalising", "help_history", "expectations", "autonomy", "attachment",
  "parent_involvement", "severity", "problems_intake", "mandated", "planned_stay_days",
  "closed_indicated")
outcome_fields <- c(
  "exit_reason", "exit_day", "favourable", "premature_exit", "mentor_changes", "ruptures",
  "repairs", "incidents", "coercive_measures")
# Codes of the coded fields for files without flag attributes (schema_version 1): the meaning of
# code 0, 1, ... The words are those of schema_version 2's flag_meanings.
schema1_codes <- list(
  setting = c("open", "closed"),
  profile = c("externalising", "internalising", "mixed"),
  exit_reason = c("in_care", "planned_discharge", "drop-out", "absconded", "transferred"),
  female = c("no", "yes"), externalising = c("no", "yes"), mandated = c("no", "yes"),
  closed_indicated = c("no", "yes"), favourable = c("no", "yes"), premature_exit = c("no", "yes"))

fail <- function(...) {
  message("read_results.R: ", ...)
  quit(status = 2)
}

parse_args <- function(args) {
  out <- list(file = NULL, scenario = NULL, csv = NULL)
  i <- 1
  while (i <= length(args)) {
    a <- args[[i]]
    if (a %in% c("--scenario", "--csv")) {
      if (i == length(args)) fail(a, " needs a value")
      out[[sub("^--", "", a)]] <- args[[i + 1]]
      i <- i + 2
    } else if (a %in% c("-h", "--help")) {
      cat("usage: Rscript analysis/R/read_results.R FILE.h5 [--scenario NAME] [--csv DIR]\n")
      quit(status = 0)
    } else if (is.null(out$file)) {
      out$file <- a
      i <- i + 1
    } else {
      fail("unexpected argument '", a, "'")
    }
  }
  if (is.null(out$file)) fail("usage: Rscript analysis/R/read_results.R FILE.h5 [--scenario NAME] [--csv DIR]")
  out
}

# Reads a dataset whose HDF5 shape is c(R_all, ...) and keeps the first R replicates. hdf5r
# reverses the dimensions, so the replicate is the LAST R dimension. `expect` is the expected R
# dimension vector (reversed HDF5 shape) for the replicates kept.
read_dataset <- function(s, path, R, expect) {
  # drop = FALSE keeps a dimension of length 1 (a scenario with a single wave).
  x <- s[[path]]$read(drop = FALSE)
  d <- dim(x)
  if (is.null(d)) d <- length(x)
  if (length(d) != length(expect) || any(d[-length(d)] != expect[-length(expect)]) ||
      d[length(d)] < R)
    fail(path, ": R dims ", paste(d, collapse = "x"), ", expected ",
         paste(expect, collapse = "x"), " (hdf5r reverses the HDF5 shape)")
  if (length(d) == 3) x[, , seq_len(R), drop = FALSE] else x[, seq_len(R), drop = FALSE]
}

# The codes of dataset `path` and their meanings (list(values, meanings)), or NULL for a field that
# is not coded: from its flag_values and flag_meanings attributes, else from schema1_codes.
code_levels <- function(s, path) {
  ds <- s[[path]]
  field <- basename(path)
  if (all(c("flag_values", "flag_meanings") %in% h5attr_names(ds))) {
    values <- as.integer(h5attr(ds, "flag_values"))
    meanings <- strsplit(trimws(h5attr(ds, "flag_meanings")), "[[:space:]]+")[[1]]
    if (length(values) != length(meanings) || anyDuplicated(meanings))
      fail(path, ": flag_values (", length(values), ") and flag_meanings (", length(meanings),
           ") do not match")
    return(list(values = values, meanings = meanings))
  }
  if (field %in% names(schema1_codes))
    return(list(values = seq_along(schema1_codes[[field]]) - 1L, meanings = schema1_codes[[field]]))
  NULL
}

# Codes as a factor with the meanings as levels; a code without meaning (-1: missing) is NA.
as_coded <- function(x, codes) {
  factor(codes$meanings[match(as.integer(x), codes$values)], levels = codes$meanings)
}

read_scenario <- function(name, s) {
  R <- as.integer(h5attr(s, "replicates_written"))
  # Schema 2 keeps each section's coordinates in the section (netCDF-4 layout); schema 1 kept
  # them in sibling groups.
  new_layout <- s$exists("youth/waves/wave")
  youth_coord <- s[[if (new_layout) "youth/waves/youth" else "youth/id"]]
  wave_coord <- s[[if (new_layout) "youth/waves/wave" else "waves/day"]]
  N <- as.integer(youth_coord$dims)
  wave_days <- as.integer(wave_coord$read())
  wave_names <- as.character(h5attr(wave_coord, "names"))
  W <- length(wave_days)

  static <- lapply(setNames(static_fields, static_fields), function(f)
    read_dataset(s, paste0("youth/static/", f), R, c(N, R)))           # [youth, replicate]
  outcomes <- lapply(setNames(outcome_fields, outcome_fields), function(f)
    read_dataset(s, paste0("outcomes/", f), R, c(N, R)))               # [youth, replicate]
  waves <- lapply(setNames(wave_measures, wave_measures), function(m)
    read_dataset(s, paste0("youth/waves/", m), R, c(W, N, R)))         # [wave, youth, replicate]

  # Long table: as.vector() of a [wave, youth, replicate] array runs wave fastest.
  grid <- expand.grid(wave = seq_len(W), youth = seq_len(N), replicate = seq_len(R))
  codes <- list()
  for (f in static_fields) codes[[f]] <- code_levels(s, paste0("youth/static/", f))
  for (f in outcome_fields) codes[[f]] <- code_levels(s, paste0("outcomes/", f))
  coded <- function(f, x) if (is.null(codes[[f]])) x else as_coded(x, codes[[f]])
  long <- data.frame(
    scenario = name,
    replicate = grid$replicate - 1L,
    youth = grid$youth - 1L,
    wave = factor(wave_names[grid$wave], levels = wave_names),
    wave_day = wave_days[grid$wave],
    # [youth, replicate] -> youth fastest, each repeated for the W waves
    setting = coded("setting", rep(as.integer(static$setting), each = W)),
    externalising = coded("externalising", rep(as.integer(static$externalising), each = W)),
    stringsAsFactors = FALSE)
  for (m in wave_measures) long[[m]] <- as.numeric(as.vector(waves[[m]]))

  grid2 <- expand.grid(youth = seq_len(N), replicate = seq_len(R))
  wide <- data.frame(scenario = name, replicate = grid2$replicate - 1L, youth = grid2$youth - 1L,
                     stringsAsFactors = FALSE)
  for (f in static_fields) wide[[f]] <- coded(f, as.vector(static[[f]]))
  wide$setting_name <- wide$setting
  for (f in outcome_fields) wide[[f]] <- coded(f, as.vector(outcomes[[f]]))
  list(long = long, wide = wide, R = R, N = N)
}

summarise <- function(name, t) {
  long <- t$long
  wide <- t$wide
  cat(sprintf("\nscenario %s: %d replicates x %d youths\n", name, t$R, t$N))
  cat("mean youth-rated alliance (1-5) per wave by setting:\n")
  tab <- tapply(long$alliance_youth, list(setting = long$setting, wave = long$wave),
                function(v) mean(v, na.rm = TRUE))
  print(round(tab, 2))
  cat("favourable outcome by setting:\n")
  for (lev in levels(wide$setting)) {
    v <- wide$favourable[wide$setting == lev]
    cat(sprintf("  %-6s %5.1f%%  (n = %d)\n", lev, if (length(v)) 100 * mean(v == "yes") else NaN,
                length(v)))
  }
  cat("status at the end of follow-up (exit_reason):\n")
  counts <- table(wide$exit_reason, useNA = "no")
  for (lev in names(counts)) cat(sprintf("  %-18s %6d\n", lev, counts[[lev]]))
  first <- long$alliance_youth[long$wave == levels(long$wave)[1] & long$setting == "open"]
  cat(sprintf("check %s mean_alliance_youth_first_open=%.4f\n", name, mean(first, na.rm = TRUE)))
}

main <- function() {
  args <- parse_args(commandArgs(trailingOnly = TRUE))
  if (!file.exists(args$file)) fail(args$file, ": no such file")
  f <- tryCatch(H5File$new(args$file, mode = "r"),
                error = function(e) fail(args$file, ": cannot open as HDF5 (", conditionMessage(e), ")"))
  on.exit(f$close_all(), add = TRUE)
  version <- if ("schema_version" %in% h5attr_names(f)) as.integer(h5attr(f, "schema_version")) else -1L
  if (!(version %in% schema_versions) || !f$exists("scenarios"))
    fail(args$file, ": not an alliance-sim result file of schema_version ",
         paste(schema_versions, collapse = " or "),
         " (found ", version, ")")
  cat(sprintf("%s: %s, commit %s, created %s\n", args$file, h5attr(f, "generator"),
              h5attr(f, "git_commit"), h5attr(f, "created_utc")))
  names_all <- sort(names(f[["scenarios"]]))
  scen <- names_all
  if (!is.null(args$scenario)) {
    if (!(args$scenario %in% names_all))
      fail(args$file, ": no scenario '", args$scenario, "' (has: ", paste(names_all, collapse = ", "), ")")
    scen <- args$scenario
  }
  cat("scenarios:\n")
  for (n in scen) {
    s <- f[["scenarios"]][[n]]
    cat(sprintf("  %s: %d of %d replicates (%s), %d youths each, seed %d: %s\n", n,
                as.integer(h5attr(s, "replicates_written")), as.integer(h5attr(s, "replicates")),
                if (as.integer(h5attr(s, "complete")) == 1L) "complete" else "INCOMPLETE",
                as.integer(h5attr(s, "cohort_size")), as.integer(h5attr(s, "seed")),
                h5attr(s, "question")))
  }
  longs <- list()
  wides <- list()
  for (n in scen) {
    t <- read_scenario(n, f[["scenarios"]][[n]])
    summarise(n, t)
    longs[[n]] <- t$long
    wides[[n]] <- t$wide
  }
  if (!is.null(args$csv)) {
    dir.create(args$csv, showWarnings = FALSE, recursive = TRUE)
    long_all <- do.call(rbind, unname(longs))
    wide_all <- do.call(rbind, unname(wides))
    write.csv(long_all, file.path(args$csv, "waves_long.csv"), row.names = FALSE, na = "")
    write.csv(wide_all, file.path(args$csv, "youth_outcomes.csv"), row.names = FALSE, na = "")
    cat(sprintf("\nwrote %s and %s\n", file.path(args$csv, "waves_long.csv"),
                file.path(args$csv, "youth_outcomes.csv")))
  }
  invisible(0)
}

main()
