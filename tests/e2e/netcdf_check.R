# Opens an alliance-sim result file with R's netCDF reader (ncdf4), as a researcher would, and
# checks it against hdf5r: every variable of the file is listed with named dimensions (none
# phony), and `VARIABLE` (a path such as scenarios/baseline/youth/waves/alliance_youth) reads
# the same values through ncdf4 and hdf5r (both give R's reversed dimension order).
# Usage: Rscript netcdf_check.R FILE.h5 VARIABLE ; prints "ncdf4 variables <n>" and
# "ncdf4 dims <variable> <dim names>" and exits 0, or prints the problem and exits 1.
suppressPackageStartupMessages({
  library(ncdf4)
  library(hdf5r)
})
args <- commandArgs(trailingOnly = TRUE)
path <- args[1]
variable <- args[2]
fail <- function(...) {
  cat(..., "\n", sep = "")
  quit(status = 1)
}
nc <- tryCatch(nc_open(path), error = function(e) fail("nc_open: ", conditionMessage(e)))
vars <- names(nc$var)
if (length(vars) == 0) fail("ncdf4 lists no variables")
for (v in vars) {
  dims <- vapply(nc$var[[v]]$dim, function(d) d$name, "")
  if (any(grepl("phony_dim", dims))) fail(v, ": unnamed dimension")
}
if (!(variable %in% vars)) fail(variable, " is not listed by ncdf4")
x <- ncvar_get(nc, variable, collapse_degen = FALSE)
dims <- vapply(nc$var[[variable]]$dim, function(d) basename(d$name), "")
nc_close(nc)
f <- H5File$new(path, mode = "r")
y <- f[[variable]]$read()
f$close_all()
# hdf5r drops dimensions of length 1; compare the shapes without them.
shape <- function(a) { d <- if (is.null(dim(a))) length(a) else dim(a); as.integer(d[d != 1]) }
if (!identical(shape(x), shape(y)))
  fail("shapes differ: ", paste(dim(x), collapse = "x"), " vs ", paste(dim(y), collapse = "x"))
if (!isTRUE(all.equal(as.vector(x), as.vector(y)))) fail("values differ between ncdf4 and hdf5r")
cat("ncdf4 variables", length(vars), "\n")
cat("ncdf4 dims", variable, paste(dims, collapse = " "), "\n")
