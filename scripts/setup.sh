#!/usr/bin/env bash
# The one place that installs every system dependency of alliance-sim.
# Idempotent: packages already present are skipped; apt-get runs only when something is missing.
# Uses apt-get directly as root, sudo otherwise.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  libhdf5-dev        # result files (HDF5 C API + high-level dimension scales)
  zlib1g-dev         # deflate of result-file chunks compressed in parallel
  libdeflate-dev     # faster whole-buffer deflate (zlib format) of result-file chunks (bench/README.md)
  libtbb-dev         # oneTBB: parallel_for over (replicate, living group)
  libeigen3-dev      # linear algebra in analysis/
  libboost-dev       # Boost.Random distributions
  catch2             # Catch2 v2 unit tests
  libcli11-dev       # command line
  libtomlplusplus-dev # scenario files
  librandom123-dev   # counter-based Philox generator
  hdf5-tools         # h5dump/h5ls for inspection in tests and by users
  python3-h5py python3-numpy python3-pandas # tests read result files as a researcher would (h5py, pandas)
  r-cran-hdf5r       # tests read result files in R as a researcher would (hdf5r)
  python3-xarray python3-h5netcdf python3-netcdf4 netcdf-bin r-cran-ncdf4 # tests open result files as netCDF-4 (xarray, ncdump, ncdf4)
  r-cran-lavaan      # analysis/R/clpm_lavaan.R: cross-lagged panel models (CLPM, RI-CLPM)
  pspp               # tests run the SPSS syntax that `export` writes beside the CSV
  chromium           # browser tests (label browser): the HTML report and the classroom page, headless
  libcpp-httplib-dev # alliance-sim serve: the classroom web server (HTTP server and test client)
  libopenmpi-dev openmpi-bin # distributed runs: mpirun -n K alliance-sim run (docs/cluster.md)
  clang-14 libclang-rt-14-dev # fuzz targets: clang's libFuzzer + ASan/UBSan runtimes (scripts/fuzz.sh)
  clang-format-14    # the format check of the test suite (tests/rules/check_format.sh)
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all system packages present"
  bash "$(dirname "$0")/setup_web.sh"  # node and web/node_modules (browser tests)
  exit 0
fi

echo "setup: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
bash "$(dirname "$0")/setup_web.sh"  # node and web/node_modules (browser tests)
