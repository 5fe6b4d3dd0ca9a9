#!/usr/bin/python3
"""Opens every group of an alliance-sim result file that holds datasets as a netCDF-4 dataset,
with xarray's two engines (h5netcdf and netcdf4), as a researcher would, and checks that

  - every dimension is named (no phony_dim_*) and has a coordinate variable in the group,
  - every variable's dimensions are the ones its HDF5 dimension scales name,
  - every variable and coordinate equals what h5py reads from the same dataset,
  - no variable was decoded as a time axis (units of alliance-sim never contain "since").

Usage: netcdf_check.py FILE.h5 ; prints "checked <groups> groups, <variables> variables" and
exits 0, or prints the first problems and exits 1. Used by tests/e2e/test_netcdf.cpp.
"""
import sys

import h5py
import numpy as np
import xarray as xr


def groups_with_datasets(f):
    found = []

    def visit(name, obj):
        if isinstance(obj, h5py.Group) and any(isinstance(v, h5py.Dataset) for v in obj.values()):
            found.append(name)

    f.visititems(visit)
    return found


def h5_values(ds):
    v = ds[()]
    if ds.dtype.kind == "O" or h5py.check_string_dtype(ds.dtype) is not None:
        return np.array([x.decode() if isinstance(x, bytes) else x for x in np.ravel(v)], dtype=object)
    return np.asarray(v)


def equal(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape and a.size != b.size:
        return False
    if a.dtype.kind in "OUS" or b.dtype.kind in "OUS":
        return [str(x) for x in np.ravel(a)] == [str(x) for x in np.ravel(b)]
    return np.array_equal(np.ravel(a).astype(float), np.ravel(b).astype(float), equal_nan=True)


def main(path):
    problems = []
    variables = 0
    with h5py.File(path, "r") as f:
        groups = groups_with_datasets(f)
        for g in groups:
            h5g = f[g]
            for engine in ("h5netcdf", "netcdf4"):
                try:
                    ds = xr.open_dataset(path, group=g, engine=engine)
                except Exception as e:  # noqa: BLE001 - report any failure to open
                    problems.append(f"{engine}: group {g}: cannot open: {type(e).__name__}: {e}")
                    continue
                with ds:
                    for dim in ds.dims:
                        if str(dim).startswith("phony_dim"):
                            problems.append(f"{engine}: group {g}: unnamed dimension {dim}")
                        if dim not in ds.coords:
                            problems.append(f"{engine}: group {g}: dimension {dim} has no coordinate")
                    for name, h5ds in h5g.items():
                        if not isinstance(h5ds, h5py.Dataset):
                            continue
                        if name not in ds.variables:
                            problems.append(f"{engine}: {g}/{name} missing")
                            continue
                        var = ds.variables[name]
                        if var.dtype.kind == "M" or var.dtype.kind == "m":
                            problems.append(f"{engine}: {g}/{name} decoded as time")
                        scales = [d[0].name.rsplit("/", 1)[-1] if len(d) else None for d in h5ds.dims]
                        if h5py.h5ds.is_scale(h5ds.id):
                            scales = [name]
                        if tuple(scales) != tuple(var.dims):
                            problems.append(f"{engine}: {g}/{name} dims {var.dims}, scales {scales}")
                        if not equal(var.values, h5_values(h5ds)):
                            problems.append(f"{engine}: {g}/{name} values differ from h5py")
                        variables += 1
            if len(problems) > 20:
                break
    if problems:
        print("\n".join(problems[:20]))
        return 1
    print(f"checked {len(groups)} groups, {variables} variables")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
