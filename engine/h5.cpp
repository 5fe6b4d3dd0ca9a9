// RAII layer over the HDF5 C API: see h5.hpp for the contract (which exception, which format).
#include "engine/h5.hpp"

#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <new>
#include <system_error>
#include <utility>

#include "engine/errors.hpp"
#include "engine/system_memory.hpp"

namespace asim::h5 {
namespace {

// ---- errors ---------------------------------------------------------------------------------

// H5Ewalk2 visits the innermost error (where HDF5 detected it) first when walking upward.
herr_t take_innermost(unsigned n, const H5E_error2_t* err, void* client) {
  if (n != 0 || err == nullptr) return 0;
  auto* out = static_cast<std::string*>(client);
  if (err->desc != nullptr && err->desc[0] != '\0') {
    *out = err->desc;
  } else {
    std::array<char, 256> minor{};
    if (H5Eget_msg(err->min_num, nullptr, minor.data(), minor.size()) > 0) *out = minor.data();
  }
  return 0;
}

// The innermost description on this thread's error stack; clears the stack.
std::string innermost_error() {
  std::string desc;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, take_innermost, &desc);
  H5Eclear2(H5E_DEFAULT);
  return desc;
}

// HDF5's description of a failed system read or write is a multi-line dump ("file write failed:
// time = ..., filename = ..., errno = 27, error message = 'File too large', buf = 0x..., ...").
// Of that, the system's error message is what a user needs: "file write failed: File too large".
std::string plain_detail(const std::string& detail) {
  const std::string marker = "error message = '";
  const auto at = detail.find(marker);
  const auto colon = detail.find(':');
  if (at == std::string::npos || colon == std::string::npos || colon > at) return detail;
  const auto begin = at + marker.size();
  const auto end = detail.find('\'', begin);
  if (end == std::string::npos) return detail;
  return detail.substr(0, colon) + ": " + detail.substr(begin, end - begin);
}

std::string compose(const std::string& where, std::string_view op, const std::string& detail) {
  std::string msg = where.empty() ? std::string(op) : where + ": " + std::string(op);
  msg += " failed";
  if (!detail.empty()) msg += " (HDF5: " + plain_detail(detail) + ")";
  return msg;
}

// Throws E for the failure that just happened: the error stack is read before describe(),
// whose own HDF5 calls would clear it.
template <class E>
[[noreturn]] void fail(std::string_view op, hid_t loc, std::string_view path = {}) {
  const std::string detail = innermost_error();
  throw E(compose(describe(loc, path), op, detail));
}

template <class E>
[[noreturn]] void fail_at(std::string_view op, const std::string& where) {
  const std::string detail = innermost_error();
  throw E(compose(where, op, detail));
}

template <class E, class R>
R ck(R rc, std::string_view op, hid_t loc, std::string_view path = {}) {
  if (rc < 0) fail<E>(op, loc, path);
  return rc;
}

// Reads a string from an HDF5 "get name" style function: size query, then fill.
template <class F>
std::string get_name(F&& fn) {
  const ssize_t n = fn(nullptr, 0);
  if (n <= 0) return {};
  std::vector<char> buf(static_cast<std::size_t>(n) + 1, '\0');
  fn(buf.data(), buf.size());
  return std::string(buf.data(), static_cast<std::size_t>(n));
}

// ---- closing --------------------------------------------------------------------------------

herr_t close_id(hid_t id) {
  switch (H5Iget_type(id)) {
    case H5I_FILE:
      return H5Fclose(id);
    case H5I_GROUP:
      return H5Gclose(id);
    case H5I_DATASET:
      return H5Dclose(id);
    case H5I_ATTR:
      return H5Aclose(id);
    case H5I_DATATYPE:
      return H5Tclose(id);
    case H5I_DATASPACE:
      return H5Sclose(id);
    case H5I_GENPROP_LST:
      return H5Pclose(id);
    case H5I_BADID:
      return -1;
    default:
      return H5Idec_ref(id) < 0 ? -1 : 0;
  }
}

// ---- types ----------------------------------------------------------------------------------

hid_t file_type(Dtype t) {
  switch (t) {
    case Dtype::F32:
      return H5T_IEEE_F32LE;
    case Dtype::F64:
      return H5T_IEEE_F64LE;
    case Dtype::I8:
      return H5T_STD_I8LE;
    case Dtype::I32:
      return H5T_STD_I32LE;
    case Dtype::I64:
      return H5T_STD_I64LE;
  }
  return H5T_IEEE_F64LE;
}

hid_t memory_type(Dtype t) {
  switch (t) {
    case Dtype::F32:
      return H5T_NATIVE_FLOAT;
    case Dtype::F64:
      return H5T_NATIVE_DOUBLE;
    case Dtype::I8:
      return H5T_NATIVE_INT8;
    case Dtype::I32:
      return H5T_NATIVE_INT32;
    case Dtype::I64:
      return H5T_NATIVE_INT64;
  }
  return H5T_NATIVE_DOUBLE;
}

bool is_float(Dtype t) {
  return t == Dtype::F32 || t == Dtype::F64;
}

// "float64", "int32", "uint16", "string", ... for messages about a stored type.
std::string type_text(hid_t type) {
  const std::size_t bits = H5Tget_size(type) * 8;
  switch (H5Tget_class(type)) {
    case H5T_FLOAT:
      return "float" + std::to_string(bits);
    case H5T_INTEGER:
      return (H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") + std::to_string(bits);
    case H5T_STRING:
      return "string";
    case H5T_COMPOUND:
      return "compound";
    case H5T_ENUM:
      return "enum";
    case H5T_ARRAY:
      return "array";
    case H5T_VLEN:
      return "variable-length sequence";
    case H5T_REFERENCE:
      return "reference";
    case H5T_OPAQUE:
      return "opaque";
    case H5T_BITFIELD:
      return "bitfield";
    case H5T_TIME:
      return "time";
    default:
      return "unknown type";
  }
}

// Whether a stored integer type converts to a signed integer of `target_size` bytes without
// narrowing.
bool integer_fits(hid_t type, std::size_t target_size) {
  const std::size_t size = H5Tget_size(type);
  const bool is_signed = H5Tget_sign(type) == H5T_SGN_2;
  return size < target_size || (size == target_size && is_signed);
}

Handle vl_utf8_string_type() {
  Handle t(ck<RuntimeFailure>(H5Tcopy(H5T_C_S1), "copy string type", H5I_INVALID_HID));
  ck<RuntimeFailure>(H5Tset_size(t.id(), H5T_VARIABLE), "set string size", H5I_INVALID_HID);
  ck<RuntimeFailure>(H5Tset_cset(t.id(), H5T_CSET_UTF8), "set string cset", H5I_INVALID_HID);
  ck<RuntimeFailure>(H5Tset_strpad(t.id(), H5T_STR_NULLTERM), "set string padding",
                     H5I_INVALID_HID);
  return t;
}

Handle lcpl_with_intermediate_groups() {
  Handle lcpl(
      ck<RuntimeFailure>(H5Pcreate(H5P_LINK_CREATE), "create property list", H5I_INVALID_HID));
  ck<RuntimeFailure>(H5Pset_create_intermediate_group(lcpl.id(), 1),
                     "set create-intermediate-group", H5I_INVALID_HID);
  return lcpl;
}

hsize_t product(const std::vector<hsize_t>& dims, const std::string& where) {
  hsize_t n = 1;
  for (hsize_t d : dims) {
    if (d != 0 && n > std::numeric_limits<hsize_t>::max() / d) {
      throw ConfigError(where + ": shape too large");
    }
    n *= d;
  }
  return n;
}

std::string dims_text(const std::vector<hsize_t>& dims) {
  std::string s = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(dims[i]);
  }
  return s + "]";
}

// ---- files ----------------------------------------------------------------------------------

// The checks made before HDF5 sees a file given to us to read: HDF5 1.10 can crash on some
// crafted files, and a plain message is better than HDF5's error stack for common mistakes.
// Returns the superblock version: the byte that follows the signature.
int check_hdf5_file(const std::string& path, bool need_write) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (st.type() == fs::file_type::not_found) throw ConfigError(path + ": no such file");
  if (ec) throw ConfigError(path + ": cannot access: " + ec.message());
  if (fs::is_directory(st)) throw ConfigError(path + ": is a directory, not an HDF5 file");
  if (!fs::is_regular_file(st)) throw ConfigError(path + ": not a regular file, not an HDF5 file");
  if (access(path.c_str(), R_OK) != 0) {
    throw ConfigError(path + ": not readable: " + std::generic_category().message(errno));
  }
  if (need_write && access(path.c_str(), W_OK) != 0) {
    throw ConfigError(path + ": not writable: " + std::generic_category().message(errno));
  }
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) throw ConfigError(path + ": cannot access: " + ec.message());
  if (size == 0) throw ConfigError(path + ": empty file, not an HDF5 file");

  // The superblock starts with this signature at offset 0, 512, 1024, 2048, ... (a user block
  // of a power-of-two size may precede it).
  static constexpr std::array<char, 8> signature{'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot open for reading");
  for (std::uintmax_t offset = 0; offset + signature.size() <= size;
       offset = offset == 0 ? 512 : offset * 2) {
    std::array<char, 8> head{};
    in.seekg(static_cast<std::streamoff>(offset));
    if (!in.read(head.data(), head.size())) break;
    if (head == signature) {
      char version = 0;
      if (!in.get(version))
        throw ConfigError(path + ": truncated HDF5 file (ends in the superblock)");
      return static_cast<unsigned char>(version);
    }
  }
  throw ConfigError(path + ": not an HDF5 file");
}

// File access properties for every file we write: library-version bounds [v1.8, v1.8].
//   low v1.8 (not "earliest"): objects get version-2 headers, which move many or large
//     attributes to dense storage instead of failing at the 64 KiB header-message limit;
//   high v1.8: no HDF5-1.10-only structures (version-3 superblock, extensible-array or
//     version-2 B-tree chunk indexes), so any HDF5 >= 1.8 reads the file, which covers every
//     h5py release in use and R's hdf5r (which needs HDF5 >= 1.8.13).
Handle writing_fapl() {
  Handle fapl(
      ck<RuntimeFailure>(H5Pcreate(H5P_FILE_ACCESS), "create property list", H5I_INVALID_HID));
  ck<RuntimeFailure>(H5Pset_libver_bounds(fapl.id(), H5F_LIBVER_V18, H5F_LIBVER_V18),
                     "set library version bounds", H5I_INVALID_HID);
  // The metadata cache of a file being written: 1 MiB to start, adaptive up to 8 MiB. Left at
  // HDF5's defaults, peak memory grew with the replicates written (default scenario, 1 thread:
  // 38 MiB after 200 replicates, 46 MiB after 800; national, 2 threads: 357 MiB after 20,
  // 481 MiB after 60); configured so (the same with a 2 or 32 MiB limit) 38 and 39 MiB, and
  // 323 and 377 MiB, and no slower (bench/README.md, "Memory").
  H5AC_cache_config_t cache;
  cache.version = H5AC__CURR_CACHE_CONFIG_VERSION;
  ck<RuntimeFailure>(H5Pget_mdc_config(fapl.id(), &cache), "get metadata cache configuration",
                     H5I_INVALID_HID);
  cache.set_initial_size = true;
  cache.initial_size = std::size_t{1} << 20;
  cache.min_size = std::size_t{1} << 20;
  cache.max_size = std::size_t{8} << 20;
  ck<RuntimeFailure>(H5Pset_mdc_config(fapl.id(), &cache), "set metadata cache configuration",
                     H5I_INVALID_HID);
  return fapl;
}

// Opens an object below loc and checks it is of the expected kind.
Handle open_object(hid_t loc, const std::string& path, H5I_type_t kind, const char* kind_name) {
  quiet_errors();
  if (!exists(loc, path)) throw ConfigError(describe(loc, path) + ": no such " + kind_name);
  Handle obj(ck<ConfigError>(H5Oopen(loc, path.c_str(), H5P_DEFAULT),
                             std::string("open ") + kind_name, loc, path));
  if (H5Iget_type(obj.id()) != kind) {
    throw ConfigError(describe(loc, path) + ": is not a " + kind_name);
  }
  return obj;
}

// ---- attributes -----------------------------------------------------------------------------

Handle create_attr_replacing(hid_t obj, const std::string& name, hid_t type, hid_t space) {
  quiet_errors();
  const std::string op = "create attribute '" + name + "'";
  const htri_t present = ck<RuntimeFailure>(H5Aexists(obj, name.c_str()), op, obj);
  if (present > 0) ck<RuntimeFailure>(H5Adelete(obj, name.c_str()), op, obj);
  return Handle(ck<RuntimeFailure>(
      H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), op, obj));
}

void write_attr(hid_t obj, const std::string& name, hid_t file_t, hid_t mem_t, hsize_t n,
                bool scalar, const void* data) {
  Handle space(scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr));
  ck<RuntimeFailure>(space.id(), "create attribute '" + name + "'", obj);
  Handle attr = create_attr_replacing(obj, name, file_t, space.id());
  if (n > 0)
    ck<RuntimeFailure>(H5Awrite(attr.id(), mem_t, data), "write attribute '" + name + "'", obj);
}

void check_no_nul(hid_t obj, const std::string& name, std::string_view value) {
  if (value.find('\0') != std::string_view::npos) {
    throw ConfigError(describe(obj) + ": attribute '" + name + "': text contains a NUL byte");
  }
}

struct OpenAttr {
  Handle attr;
  Handle type;
  Handle space;
  hsize_t count = 0;
  H5T_class_t type_class = H5T_NO_CLASS;
  std::string where;  // "<file>:<object> attribute 'name'"
};

OpenAttr open_attr(hid_t obj, const std::string& name) {
  quiet_errors();
  const std::string op = "open attribute '" + name + "'";
  const htri_t present = ck<ConfigError>(H5Aexists(obj, name.c_str()), op, obj);
  if (present == 0) throw ConfigError(describe(obj) + ": no attribute '" + name + "'");
  OpenAttr a;
  a.attr = Handle(ck<ConfigError>(H5Aopen(obj, name.c_str(), H5P_DEFAULT), op, obj));
  a.type = Handle(ck<ConfigError>(H5Aget_type(a.attr.id()), op, obj));
  a.space = Handle(ck<ConfigError>(H5Aget_space(a.attr.id()), op, obj));
  a.type_class = H5Tget_class(a.type.id());
  a.where = describe(obj) + " attribute '" + name + "'";
  const hssize_t n = H5Sget_simple_extent_npoints(a.space.id());
  if (n < 0) fail_at<ConfigError>("read shape", a.where);
  a.count = static_cast<hsize_t>(n);
  return a;
}

void expect_one(const OpenAttr& a) {
  if (a.count != 1) {
    throw ConfigError(a.where + ": holds " + std::to_string(a.count) + " values, expected one");
  }
}

std::vector<std::string> read_strings(const OpenAttr& a) {
  if (a.type_class != H5T_STRING) {
    throw ConfigError(a.where + ": stored as " + type_text(a.type.id()) + ", expected a string");
  }
  std::vector<std::string> out;
  if (a.count == 0) return out;
  const H5T_cset_t cset = H5Tget_cset(a.type.id());
  if (H5Tis_variable_str(a.type.id()) > 0) {
    Handle mem(ck<ConfigError>(H5Tcopy(H5T_C_S1), "read", H5I_INVALID_HID));
    H5Tset_size(mem.id(), H5T_VARIABLE);
    H5Tset_cset(mem.id(), cset);
    std::vector<char*> ptrs(a.count, nullptr);
    if (H5Aread(a.attr.id(), mem.id(), ptrs.data()) < 0) fail_at<ConfigError>("read", a.where);
    out.reserve(a.count);
    for (char* p : ptrs) out.emplace_back(p != nullptr ? p : "");
    H5Dvlen_reclaim(mem.id(), a.space.id(), H5P_DEFAULT, ptrs.data());
    return out;
  }
  // Fixed-length strings (written by other tools): read with the stored type, then cut at the
  // first NUL and, for space padding, strip trailing spaces.
  const std::size_t width = H5Tget_size(a.type.id());
  if (width == 0) fail_at<ConfigError>("read", a.where);
  std::vector<char> buf(a.count * width, '\0');
  if (H5Aread(a.attr.id(), a.type.id(), buf.data()) < 0) fail_at<ConfigError>("read", a.where);
  const bool space_padded = H5Tget_strpad(a.type.id()) == H5T_STR_SPACEPAD;
  out.reserve(a.count);
  for (hsize_t i = 0; i < a.count; ++i) {
    std::string_view s(buf.data() + i * width, width);
    s = s.substr(0, s.find('\0'));
    if (space_padded) s = s.substr(0, s.find_last_not_of(' ') + 1);
    out.emplace_back(s);
  }
  return out;
}

std::vector<double> read_doubles(const OpenAttr& a) {
  if (a.type_class != H5T_FLOAT && a.type_class != H5T_INTEGER) {
    throw ConfigError(a.where + ": stored as " + type_text(a.type.id()) + ", expected a number");
  }
  std::vector<double> out(a.count);
  if (a.count > 0 && H5Aread(a.attr.id(), H5T_NATIVE_DOUBLE, out.data()) < 0) {
    fail_at<ConfigError>("read", a.where);
  }
  return out;
}

std::vector<std::int64_t> read_ints(const OpenAttr& a) {
  if (a.type_class != H5T_INTEGER || !integer_fits(a.type.id(), sizeof(std::int64_t))) {
    throw ConfigError(a.where + ": stored as " + type_text(a.type.id()) +
                      ", expected an integer that fits int64");
  }
  std::vector<std::int64_t> out(a.count);
  if (a.count > 0 && H5Aread(a.attr.id(), H5T_NATIVE_INT64, out.data()) < 0) {
    fail_at<ConfigError>("read", a.where);
  }
  return out;
}

// ---- dataset reads --------------------------------------------------------------------------

template <class T>
struct MemoryType;
template <>
struct MemoryType<float> {
  static hid_t id() { return H5T_NATIVE_FLOAT; }
  static constexpr const char* name = "float32";
};
template <>
struct MemoryType<double> {
  static hid_t id() { return H5T_NATIVE_DOUBLE; }
  static constexpr const char* name = "float64";
};
template <>
struct MemoryType<std::int8_t> {
  static hid_t id() { return H5T_NATIVE_INT8; }
  static constexpr const char* name = "int8";
};
template <>
struct MemoryType<std::int32_t> {
  static hid_t id() { return H5T_NATIVE_INT32; }
  static constexpr const char* name = "int32";
};
template <>
struct MemoryType<std::int64_t> {
  static hid_t id() { return H5T_NATIVE_INT64; }
  static constexpr const char* name = "int64";
};

template <class T>
void read_impl(hid_t dset, std::vector<T>& out, const std::vector<hsize_t>* offset,
               const std::vector<hsize_t>* count) {
  quiet_errors();
  const std::string where = describe(dset);
  Handle type(H5Dget_type(dset));
  if (!type) fail_at<ConfigError>("read type", where);
  const H5T_class_t cls = H5Tget_class(type.id());
  bool ok = false;
  if constexpr (std::is_floating_point_v<T>) {
    ok = cls == H5T_FLOAT && H5Tget_size(type.id()) <= sizeof(T);
  } else {
    ok = cls == H5T_INTEGER && integer_fits(type.id(), sizeof(T));
  }
  if (!ok) {
    throw ConfigError(where + ": stored as " + type_text(type.id()) + ", cannot be read as " +
                      MemoryType<T>::name);
  }

  Handle fspace(H5Dget_space(dset));
  if (!fspace) fail_at<ConfigError>("read shape", where);
  const int rank = H5Sget_simple_extent_ndims(fspace.id());
  if (rank < 0) fail_at<ConfigError>("read shape", where);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(fspace.id(), dims.data(), nullptr) < 0) {
    fail_at<ConfigError>("read shape", where);
  }

  std::vector<hsize_t> sel = dims;
  if (offset != nullptr) {
    if (offset->size() != dims.size() || count->size() != dims.size()) {
      throw ConfigError(where + ": hyperslab of rank " + std::to_string(count->size()) +
                        " for a dataset of rank " + std::to_string(dims.size()));
    }
    for (std::size_t i = 0; i < dims.size(); ++i) {
      if ((*offset)[i] > dims[i] || (*count)[i] > dims[i] - (*offset)[i]) {
        throw ConfigError(where + ": hyperslab at " + dims_text(*offset) + " of " +
                          dims_text(*count) + " does not fit shape " + dims_text(dims));
      }
    }
    sel = *count;
  }

  const hsize_t n = product(sel, where);
  if (n > out.max_size()) throw ConfigError(where + ": shape " + dims_text(sel) + " too large");
  // A damaged or crafted file can declare a shape far larger than its data (unwritten chunks
  // read as the fill value): refuse what cannot fit in memory rather than let the system run
  // out of it. Small reads skip the look at /proc/meminfo.
  const double bytes = static_cast<double>(n) * sizeof(T);
  if (bytes > 64.0 * 1024 * 1024) {
    const double available = available_memory_bytes();
    if (available > 0 && bytes > available)
      throw ConfigError(where + ": shape " + dims_text(sel) + " needs " + format_bytes(bytes) +
                        " of memory to read; " + format_bytes(available) + " available");
  }
  try {
    out.assign(static_cast<std::size_t>(n), T{});
  } catch (const std::bad_alloc&) {
    throw ConfigError(where + ": shape " + dims_text(sel) + " too large to read into memory");
  }
  if (n == 0) return;

  hid_t file_sel = H5S_ALL;
  hid_t mem_sel = H5S_ALL;
  Handle mspace;
  if (offset != nullptr && rank > 0) {
    if (H5Sselect_hyperslab(fspace.id(), H5S_SELECT_SET, offset->data(), nullptr, count->data(),
                            nullptr) < 0) {
      fail_at<ConfigError>("select hyperslab", where);
    }
    mspace = Handle(H5Screate_simple(rank, count->data(), nullptr));
    if (!mspace) fail_at<ConfigError>("create memory space", where);
    file_sel = fspace.id();
    mem_sel = mspace.id();
  }
  if (H5Dread(dset, MemoryType<T>::id(), mem_sel, file_sel, H5P_DEFAULT, out.data()) < 0) {
    fail_at<ConfigError>("read", where);
  }
}

}  // namespace

// ---- public: errors, handles ------------------------------------------------------------------

void quiet_errors() {
  // Before the library initialises (quiet_errors() precedes every HDF5 call of ours): no HDF5
  // clean-up at process exit. Every file we write is closed explicitly before it is published,
  // and when a write fails (disk full, file-size limit) HDF5 1.10.8's exit handler closes that
  // file a second time and crashes (SEGV in H5F__close_cb, from H5_term_library).
  static const bool no_atexit = (H5dont_atexit(), true);
  (void)no_atexit;
  thread_local bool quiet = false;
  if (!quiet) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    quiet = true;
  }
}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    Handle old(id_);
    id_ = std::exchange(other.id_, H5I_INVALID_HID);
  }
  return *this;
}

Handle::~Handle() {
  if (id_ < 0) return;
  quiet_errors();
  if (H5Iis_valid(id_) > 0) close_id(id_);
  H5Eclear2(H5E_DEFAULT);
}

void Handle::close() {
  if (id_ < 0) return;
  quiet_errors();
  const std::string where = describe(id_);
  if (H5Iget_type(id_) == H5I_FILE) {
    const ssize_t open_objects =
        H5Fget_obj_count(id_, H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR);
    if (open_objects > 0) {
      throw RuntimeFailure(where + ": cannot close the file: " + std::to_string(open_objects) +
                           " of its objects are still open");
    }
  }
  const hid_t id = std::exchange(id_, H5I_INVALID_HID);
  if (close_id(id) < 0) fail_at<RuntimeFailure>("close", where);
}

std::string describe(hid_t loc, std::string_view path) {
  quiet_errors();
  std::string file;
  std::string object;
  if (loc >= 0 && H5Iis_valid(loc) > 0) {
    file = get_name([loc](char* buf, std::size_t size) { return H5Fget_name(loc, buf, size); });
    object = get_name([loc](char* buf, std::size_t size) { return H5Iget_name(loc, buf, size); });
  }
  H5Eclear2(H5E_DEFAULT);
  if (!path.empty()) {
    if (path.front() == '/' || object.empty()) {
      object = std::string(path);
    } else {
      object += (object.back() == '/' ? "" : "/") + std::string(path);
    }
  }
  if (file.empty()) return object;
  return object.empty() ? file : file + ":" + object;
}

hid_t check_id(hid_t rc, std::string_view op, hid_t loc, std::string_view path) {
  return ck<RuntimeFailure>(rc, op, loc, path);
}

herr_t check(herr_t rc, std::string_view op, hid_t loc, std::string_view path) {
  return ck<RuntimeFailure>(rc, op, loc, path);
}

void throw_int_attr_out_of_range(const std::string& name) {
  throw RuntimeFailure("attribute '" + name + "': value exceeds the int64 range");
}

// ---- public: files ----------------------------------------------------------------------------

Handle create_file(const std::string& path) {
  quiet_errors();
  Handle fapl = writing_fapl();
  Handle fcpl(
      ck<RuntimeFailure>(H5Pcreate(H5P_FILE_CREATE), "create property list", H5I_INVALID_HID));
  // No access/modification times in object headers: the same run gives the same bytes.
  ck<RuntimeFailure>(H5Pset_obj_track_times(fcpl.id(), 0), "set time tracking", H5I_INVALID_HID);
  // Chunk-index B-tree nodes of 2 * kChunkIndexK entries. A node is allocated whole, and the
  // default K = 32 makes about 3 KiB per chunked dataset however few chunks it has: two thirds
  // of a sweep's file (500 scenarios of some 75 datasets, each a few chunks). Small nodes only
  // make the index of a dataset with thousands of chunks a level or two deeper.
  constexpr unsigned kChunkIndexK = 4;
  ck<RuntimeFailure>(H5Pset_istore_k(fcpl.id(), kChunkIndexK), "set chunk index node size",
                     H5I_INVALID_HID);
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.id(), fapl.id());
  if (file < 0) fail_at<RuntimeFailure>("create HDF5 file", path);
  return Handle(file);
}

int superblock_version(const std::string& path) {
  return check_hdf5_file(path, false);
}

Handle open_file_read(const std::string& path) {
  quiet_errors();
  check_hdf5_file(path, false);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) fail_at<ConfigError>("open as HDF5 file", path);
  return Handle(file);
}

Handle open_file_rw(const std::string& path) {
  quiet_errors();
  check_hdf5_file(path, true);
  Handle fapl = writing_fapl();
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.id());
  if (file < 0) fail_at<ConfigError>("open as HDF5 file for writing", path);
  return Handle(file);
}

void flush(hid_t file_or_object) {
  quiet_errors();
  ck<RuntimeFailure>(H5Fflush(file_or_object, H5F_SCOPE_GLOBAL), "flush", file_or_object);
}

// ---- public: groups, links --------------------------------------------------------------------

Handle create_group(hid_t loc, const std::string& path) {
  quiet_errors();
  Handle lcpl = lcpl_with_intermediate_groups();
  Handle gcpl(ck<RuntimeFailure>(H5Pcreate(H5P_GROUP_CREATE), "create property list", loc));
  ck<RuntimeFailure>(H5Pset_obj_track_times(gcpl.id(), 0), "set time tracking", loc);
  return Handle(ck<RuntimeFailure>(H5Gcreate2(loc, path.c_str(), lcpl.id(), gcpl.id(), H5P_DEFAULT),
                                   "create group", loc, path));
}

Handle open_group(hid_t loc, const std::string& path) {
  return open_object(loc, path, H5I_GROUP, "group");
}

Handle open_dataset(hid_t loc, const std::string& path) {
  return open_object(loc, path, H5I_DATASET, "dataset");
}

bool exists(hid_t loc, const std::string& path) {
  quiet_errors();
  std::vector<std::string> parts;
  for (std::size_t start = 0; start <= path.size();) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start && path.compare(start, end - start, ".") != 0) {
      parts.push_back(path.substr(start, end - start));
    }
    start = end + 1;
  }
  std::string prefix = !path.empty() && path.front() == '/' ? "/" : "";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!prefix.empty() && prefix.back() != '/') prefix += '/';
    prefix += parts[i];
    const htri_t link = H5Lexists(loc, prefix.c_str(), H5P_DEFAULT);
    if (link < 0) fail<ConfigError>("look up", loc, prefix);
    if (link == 0) return false;
    const htri_t object = H5Oexists_by_name(loc, prefix.c_str(), H5P_DEFAULT);
    H5Eclear2(H5E_DEFAULT);
    if (object <= 0) return false;
    if (i + 1 < parts.size()) {
      Handle obj(H5Oopen(loc, prefix.c_str(), H5P_DEFAULT));
      H5Eclear2(H5E_DEFAULT);
      if (!obj || H5Iget_type(obj.id()) != H5I_GROUP) return false;
    }
  }
  return true;
}

std::vector<std::string> list_children(hid_t group) {
  quiet_errors();
  // H5Literate2 in native order walks the group's links where they are stored. Asking for the
  // i-th name in name order instead (H5Lget_name_by_idx) makes HDF5 1.10.8 build and release a
  // sorted table of a dense group's links, and releasing it crashes (invalid free in
  // H5G__link_release_table) on a damaged link message; found by fuzz_result_file.
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  hsize_t position = 0;
  if (H5Literate(group, H5_INDEX_NAME, H5_ITER_NATIVE, &position, collect, &names) < 0)
    fail<ConfigError>("list group", group);
  std::sort(names.begin(), names.end());
  return names;
}

// ---- public: attributes -----------------------------------------------------------------------

void set_attr(hid_t obj, const std::string& name, std::string_view value) {
  quiet_errors();
  check_no_nul(obj, name, value);
  const std::string text(value);
  const char* ptr = text.c_str();
  Handle type = vl_utf8_string_type();
  write_attr(obj, name, type.id(), type.id(), 1, true, &ptr);
}

void set_attr(hid_t obj, const std::string& name, double value) {
  quiet_errors();
  write_attr(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, true, &value);
}

void set_attr_int(hid_t obj, const std::string& name, std::int64_t value) {
  quiet_errors();
  write_attr(obj, name, H5T_STD_I64LE, H5T_NATIVE_INT64, 1, true, &value);
}

void set_attr(hid_t obj, const std::string& name, const std::vector<std::string>& values) {
  quiet_errors();
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const std::string& v : values) {
    check_no_nul(obj, name, v);
    ptrs.push_back(v.c_str());
  }
  Handle type = vl_utf8_string_type();
  write_attr(obj, name, type.id(), type.id(), ptrs.size(), false, ptrs.data());
}

void set_attr(hid_t obj, const std::string& name, const std::vector<double>& values) {
  quiet_errors();
  write_attr(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values.size(), false, values.data());
}

void set_attr(hid_t obj, const std::string& name, const std::vector<std::int64_t>& values) {
  quiet_errors();
  write_attr(obj, name, H5T_STD_I64LE, H5T_NATIVE_INT64, values.size(), false, values.data());
}

bool has_attr(hid_t obj, const std::string& name) {
  quiet_errors();
  return ck<ConfigError>(H5Aexists(obj, name.c_str()), "look up attribute '" + name + "'", obj) > 0;
}

std::string get_attr_string(hid_t obj, const std::string& name) {
  const OpenAttr a = open_attr(obj, name);
  if (a.type_class == H5T_STRING) expect_one(a);
  return read_strings(a).front();
}

double get_attr_double(hid_t obj, const std::string& name) {
  const OpenAttr a = open_attr(obj, name);
  if (a.type_class == H5T_FLOAT || a.type_class == H5T_INTEGER) expect_one(a);
  return read_doubles(a).front();
}

std::int64_t get_attr_int(hid_t obj, const std::string& name) {
  const OpenAttr a = open_attr(obj, name);
  if (a.type_class == H5T_INTEGER) expect_one(a);
  return read_ints(a).front();
}

std::vector<std::string> get_attr_strings(hid_t obj, const std::string& name) {
  return read_strings(open_attr(obj, name));
}

std::vector<double> get_attr_doubles(hid_t obj, const std::string& name) {
  return read_doubles(open_attr(obj, name));
}

std::vector<std::int64_t> get_attr_ints(hid_t obj, const std::string& name) {
  return read_ints(open_attr(obj, name));
}

void set_units(hid_t obj, std::string_view units, std::string_view meaning) {
  set_attr(obj, "units", units);
  set_attr(obj, "description", meaning);
}

// ---- public: datasets -------------------------------------------------------------------------

const char* dtype_name(Dtype t) {
  switch (t) {
    case Dtype::F32:
      return "float32";
    case Dtype::F64:
      return "float64";
    case Dtype::I8:
      return "int8";
    case Dtype::I32:
      return "int32";
    case Dtype::I64:
      return "int64";
  }
  return "?";
}

Handle create_dataset(hid_t loc, const std::string& name, Dtype t, std::vector<hsize_t> dims,
                      std::vector<hsize_t> chunk, std::vector<bool> unlimited, int deflate_level,
                      std::optional<double> fill) {
  quiet_errors();
  const std::string where = describe(loc, name);
  const std::size_t rank = dims.size();
  if (rank == 0) throw RuntimeFailure(where + ": a chunked dataset needs rank >= 1");
  if (chunk.size() != rank) {
    throw RuntimeFailure(where + ": chunk rank " + std::to_string(chunk.size()) +
                         " differs from dataset rank " + std::to_string(rank));
  }
  if (!unlimited.empty() && unlimited.size() != rank) {
    throw RuntimeFailure(where + ": 'unlimited' has " + std::to_string(unlimited.size()) +
                         " entries for rank " + std::to_string(rank));
  }
  if (deflate_level < 0 || deflate_level > 9) {
    throw RuntimeFailure(where + ": deflate level " + std::to_string(deflate_level) +
                         " is outside [0, 9]");
  }

  std::vector<hsize_t> maxdims(rank);
  hsize_t chunk_bytes = H5Tget_size(file_type(t));
  for (std::size_t i = 0; i < rank; ++i) {
    const bool grows = (!unlimited.empty() && unlimited[i]) || dims[i] == 0;
    maxdims[i] = grows ? H5S_UNLIMITED : dims[i];
    if (chunk[i] == 0)
      throw RuntimeFailure(where + ": chunk dimension " + std::to_string(i) + " is 0");
    if (!grows) chunk[i] = std::min(chunk[i], dims[i]);
    chunk_bytes *= chunk[i];
    if (chunk_bytes >= (hsize_t{1} << 32)) {
      throw RuntimeFailure(where + ": chunk " + dims_text(chunk) + " is 4 GiB or more");
    }
  }

  // Fill value in the memory type of t.
  union {
    float f32;
    double f64;
    std::int8_t i8;
    std::int32_t i32;
    std::int64_t i64;
  } fill_value{};
  if (is_float(t)) {
    const double v = fill.value_or(std::numeric_limits<double>::quiet_NaN());
    if (t == Dtype::F32)
      fill_value.f32 = static_cast<float>(v);
    else
      fill_value.f64 = v;
  } else {
    const double v = fill.value_or(0.0);
    // Exclusive upper bound 2^(bits-1), exactly representable as a double.
    const int bits = t == Dtype::I8 ? 8 : t == Dtype::I32 ? 32 : 64;
    const double limit = std::ldexp(1.0, bits - 1);
    if (!(v >= -limit && v < limit) || std::trunc(v) != v) {
      throw RuntimeFailure(where + ": fill value " + std::to_string(v) + " is not a " +
                           dtype_name(t));
    }
    if (t == Dtype::I8)
      fill_value.i8 = static_cast<std::int8_t>(v);
    else if (t == Dtype::I32)
      fill_value.i32 = static_cast<std::int32_t>(v);
    else
      fill_value.i64 = static_cast<std::int64_t>(v);
  }

  Handle dcpl(ck<RuntimeFailure>(H5Pcreate(H5P_DATASET_CREATE), "create property list", loc));
  const hid_t p = dcpl.id();
  const std::string op = "create dataset";
  ck<RuntimeFailure>(H5Pset_chunk(p, static_cast<int>(rank), chunk.data()), op, loc, name);
  if (deflate_level > 0) {
    ck<RuntimeFailure>(H5Pset_shuffle(p), op, loc, name);
    ck<RuntimeFailure>(H5Pset_deflate(p, static_cast<unsigned>(deflate_level)), op, loc, name);
  }
  ck<RuntimeFailure>(H5Pset_fill_value(p, memory_type(t), &fill_value), op, loc, name);
  ck<RuntimeFailure>(H5Pset_fill_time(p, H5D_FILL_TIME_IFSET), op, loc, name);
  ck<RuntimeFailure>(H5Pset_alloc_time(p, H5D_ALLOC_TIME_INCR), op, loc, name);
  ck<RuntimeFailure>(H5Pset_obj_track_times(p, 0), op, loc, name);

  Handle space(ck<RuntimeFailure>(
      H5Screate_simple(static_cast<int>(rank), dims.data(), maxdims.data()), op, loc, name));
  Handle lcpl = lcpl_with_intermediate_groups();
  return Handle(ck<RuntimeFailure>(
      H5Dcreate2(loc, name.c_str(), file_type(t), space.id(), lcpl.id(), p, H5P_DEFAULT), op, loc,
      name));
}

std::optional<Dtype> stored_dtype(hid_t dset) {
  quiet_errors();
  Handle type(ck<ConfigError>(H5Dget_type(dset), "read type", dset));
  const std::size_t size = H5Tget_size(type.id());
  switch (H5Tget_class(type.id())) {
    case H5T_FLOAT:
      if (size == 4) return Dtype::F32;
      if (size == 8) return Dtype::F64;
      return std::nullopt;
    case H5T_INTEGER:
      if (H5Tget_sign(type.id()) != H5T_SGN_2) return std::nullopt;
      if (size == 1) return Dtype::I8;
      if (size == 4) return Dtype::I32;
      if (size == 8) return Dtype::I64;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::vector<hsize_t> shape(hid_t dset) {
  quiet_errors();
  Handle space(ck<ConfigError>(H5Dget_space(dset), "read shape", dset));
  const int rank = ck<ConfigError>(H5Sget_simple_extent_ndims(space.id()), "read shape", dset);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0) {
    ck<ConfigError>(H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr), "read shape",
                    dset);
  }
  return dims;
}

void write(hid_t dset, Dtype t, const void* data, std::vector<hsize_t> offset,
           std::vector<hsize_t> count) {
  quiet_errors();
  const std::string where = describe(dset);
  const std::optional<Dtype> stored = stored_dtype(dset);
  if (stored != t) {
    throw RuntimeFailure(where + ": writing " + dtype_name(t) + " data into a dataset stored as " +
                         (stored ? dtype_name(*stored) : "another type"));
  }
  Handle space(H5Dget_space(dset));
  if (!space) fail_at<RuntimeFailure>("write", where);
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 0) fail_at<RuntimeFailure>("write", where);
  if (offset.size() != static_cast<std::size_t>(rank) || count.size() != offset.size()) {
    throw RuntimeFailure(where + ": hyperslab of rank " + std::to_string(count.size()) +
                         " for a dataset of rank " + std::to_string(rank));
  }
  if (std::find(count.begin(), count.end(), hsize_t{0}) != count.end()) return;

  std::vector<hsize_t> dims(offset.size()), maxdims(offset.size());
  if (H5Sget_simple_extent_dims(space.id(), dims.data(), maxdims.data()) < 0) {
    fail_at<RuntimeFailure>("write", where);
  }
  std::vector<hsize_t> grown = dims;
  bool grow = false;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (count[i] > std::numeric_limits<hsize_t>::max() - offset[i]) {
      throw RuntimeFailure(where + ": hyperslab overflows");
    }
    const hsize_t end = offset[i] + count[i];
    if (end <= dims[i]) continue;
    if (maxdims[i] != H5S_UNLIMITED && end > maxdims[i]) {
      throw RuntimeFailure(where + ": writing " + dims_text(count) + " at " + dims_text(offset) +
                           " passes fixed dimension " + std::to_string(i) + " of shape " +
                           dims_text(dims));
    }
    grown[i] = end;
    grow = true;
  }
  if (grow) {
    if (H5Dset_extent(dset, grown.data()) < 0) fail_at<RuntimeFailure>("extend", where);
    space = Handle(H5Dget_space(dset));
    if (!space) fail_at<RuntimeFailure>("write", where);
  }
  if (rank > 0 && H5Sselect_hyperslab(space.id(), H5S_SELECT_SET, offset.data(), nullptr,
                                      count.data(), nullptr) < 0) {
    fail_at<RuntimeFailure>("select hyperslab", where);
  }
  Handle mspace(rank > 0 ? H5Screate_simple(rank, count.data(), nullptr) : H5Screate(H5S_SCALAR));
  if (!mspace) fail_at<RuntimeFailure>("write", where);
  if (H5Dwrite(dset, memory_type(t), mspace.id(), space.id(), H5P_DEFAULT, data) < 0) {
    fail_at<RuntimeFailure>("write", where);
  }
}

void write_all(hid_t dset, Dtype t, const void* data) {
  std::vector<hsize_t> dims = shape(dset);
  write(dset, t, data, std::vector<hsize_t>(dims.size(), 0), dims);
}

void read_all(hid_t dset, std::vector<float>& out) {
  read_impl(dset, out, nullptr, nullptr);
}
void read_all(hid_t dset, std::vector<double>& out) {
  read_impl(dset, out, nullptr, nullptr);
}
void read_all(hid_t dset, std::vector<std::int8_t>& out) {
  read_impl(dset, out, nullptr, nullptr);
}
void read_all(hid_t dset, std::vector<std::int32_t>& out) {
  read_impl(dset, out, nullptr, nullptr);
}
void read_all(hid_t dset, std::vector<std::int64_t>& out) {
  read_impl(dset, out, nullptr, nullptr);
}

void read(hid_t dset, std::vector<float>& out, std::vector<hsize_t> offset,
          std::vector<hsize_t> count) {
  read_impl(dset, out, &offset, &count);
}
void read(hid_t dset, std::vector<double>& out, std::vector<hsize_t> offset,
          std::vector<hsize_t> count) {
  read_impl(dset, out, &offset, &count);
}
void read(hid_t dset, std::vector<std::int8_t>& out, std::vector<hsize_t> offset,
          std::vector<hsize_t> count) {
  read_impl(dset, out, &offset, &count);
}
void read(hid_t dset, std::vector<std::int32_t>& out, std::vector<hsize_t> offset,
          std::vector<hsize_t> count) {
  read_impl(dset, out, &offset, &count);
}
void read(hid_t dset, std::vector<std::int64_t>& out, std::vector<hsize_t> offset,
          std::vector<hsize_t> count) {
  read_impl(dset, out, &offset, &count);
}

// ---- public: typed attributes and string datasets ---------------------------------------------

void set_attr(hid_t obj, const std::string& name, Dtype t, const std::vector<double>& values) {
  quiet_errors();
  write_attr(obj, name, file_type(t), H5T_NATIVE_DOUBLE, values.size(), false, values.data());
}

Handle create_string_dataset(hid_t loc, const std::string& name,
                             const std::vector<std::string>& values) {
  quiet_errors();
  const std::string op = "create dataset";
  Handle type = vl_utf8_string_type();
  const hsize_t n = values.size();
  Handle space(ck<RuntimeFailure>(H5Screate_simple(1, &n, nullptr), op, loc, name));
  Handle lcpl = lcpl_with_intermediate_groups();
  Handle ds(ck<RuntimeFailure>(
      H5Dcreate2(loc, name.c_str(), type.id(), space.id(), lcpl.id(), H5P_DEFAULT, H5P_DEFAULT), op,
      loc, name));
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const auto& v : values) {
    check_no_nul(ds.id(), name, v);
    ptrs.push_back(v.c_str());
  }
  if (n > 0)
    ck<RuntimeFailure>(H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()),
                       "write dataset", loc, name);
  return ds;
}

std::vector<std::string> read_string_dataset(hid_t dset) {
  quiet_errors();
  const std::string where = describe(dset);
  Handle type(ck<ConfigError>(H5Dget_type(dset), "read the type of", dset));
  Handle space(ck<ConfigError>(H5Dget_space(dset), "read the shape of", dset));
  if (H5Tget_class(type.id()) != H5T_STRING)
    throw ConfigError(where + ": stored as " + type_text(type.id()) + ", expected strings");
  if (H5Sget_simple_extent_ndims(space.id()) != 1)
    throw ConfigError(where + ": not a one-dimensional dataset of strings");
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space.id(), &n, nullptr);
  std::vector<std::string> out;
  if (n == 0) return out;
  if (H5Tis_variable_str(type.id()) > 0) {
    Handle mem(ck<ConfigError>(H5Tcopy(H5T_C_S1), "read", dset));
    H5Tset_size(mem.id(), H5T_VARIABLE);
    H5Tset_cset(mem.id(), H5Tget_cset(type.id()));
    std::vector<char*> ptrs(n, nullptr);
    if (H5Dread(dset, mem.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()) < 0)
      fail_at<ConfigError>("read", where);
    for (char* p : ptrs) out.emplace_back(p != nullptr ? p : "");
    H5Dvlen_reclaim(mem.id(), space.id(), H5P_DEFAULT, ptrs.data());
    return out;
  }
  const std::size_t width = H5Tget_size(type.id());
  if (width == 0) fail_at<ConfigError>("read", where);
  std::vector<char> buf(n * width, '\0');
  if (H5Dread(dset, type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()) < 0)
    fail_at<ConfigError>("read", where);
  for (hsize_t i = 0; i < n; ++i) {
    std::string v(buf.data() + i * width, width);
    v = v.substr(0, v.find('\0'));
    while (!v.empty() && v.back() == ' ') v.pop_back();
    out.push_back(std::move(v));
  }
  return out;
}

// ---- public: dimension scales -----------------------------------------------------------------

void make_scale(hid_t dset, const std::string& name) {
  quiet_errors();
  ck<RuntimeFailure>(H5DSset_scale(dset, name.c_str()), "make dimension scale '" + name + "'",
                     dset);
}

bool is_scale(hid_t dset) {
  quiet_errors();
  return ck<ConfigError>(H5DSis_scale(dset), "check for a dimension scale", dset) > 0;
}

void attach_scale(hid_t dset, hid_t scale, unsigned dim) {
  quiet_errors();
  const std::string scale_name = describe(scale);
  ck<RuntimeFailure>(
      H5DSattach_scale(dset, scale, dim),
      "attach dimension scale " + scale_name + " to dimension " + std::to_string(dim), dset);
}

void ScaleAttachments::attach(hid_t dset, const std::vector<hid_t>& scales) {
  quiet_errors();
  const int rank = static_cast<int>(shape(dset).size());
  if (scales.empty() || static_cast<int>(scales.size()) > rank)
    throw RuntimeFailure(describe(dset) + ": attach " + std::to_string(scales.size()) +
                         " dimension scales to a dataset of rank " + std::to_string(rank));
  if (ck<RuntimeFailure>(H5Aexists(dset, "DIMENSION_LIST"), "look up attribute 'DIMENSION_LIST'",
                         dset) > 0)
    throw RuntimeFailure(describe(dset) + ": dimension scales are attached already");
  hobj_ref_t self;
  ck<RuntimeFailure>(H5Rcreate(&self, dset, ".", H5R_OBJECT, -1), "reference dataset", dset);
  std::vector<hobj_ref_t> refs(scales.size());
  std::vector<hvl_t> lists(static_cast<std::size_t>(rank), hvl_t{0, nullptr});
  for (std::size_t d = 0; d < scales.size(); ++d) {
    ck<RuntimeFailure>(H5Rcreate(&refs[d], scales[d], ".", H5R_OBJECT, -1), "reference scale",
                       scales[d]);
    lists[d] = hvl_t{1, &refs[d]};
    auto it = std::find_if(scales_.begin(), scales_.end(),
                           [&](const Entry& e) { return e.scale == scales[d]; });
    if (it == scales_.end()) it = scales_.insert(scales_.end(), Entry{scales[d], {}});
    it->datasets.emplace_back(self, static_cast<int>(d));
  }
  // As H5DSattach_scale: a vlen of object references, one element per dimension.
  const hsize_t n = static_cast<hsize_t>(rank);
  Handle space(ck<RuntimeFailure>(H5Screate_simple(1, &n, nullptr), "create dataspace", dset));
  Handle type(
      ck<RuntimeFailure>(H5Tvlen_create(H5T_STD_REF_OBJ), "create reference list type", dset));
  Handle attr(ck<RuntimeFailure>(
      H5Acreate2(dset, "DIMENSION_LIST", type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT),
      "create attribute DIMENSION_LIST", dset));
  ck<RuntimeFailure>(H5Awrite(attr.id(), type.id(), lists.data()), "write attribute DIMENSION_LIST",
                     dset);
}

void ScaleAttachments::finish() {
  quiet_errors();
  // H5DSattach_scale's ds_list_t: {hobj_ref_t ref; unsigned dim_idx;} stored as the compound
  // ("dataset" object reference, "dimension" native int).
  struct DsList {
    hobj_ref_t ref;
    unsigned dim_idx;
  };
  std::vector<Entry> scales = std::move(scales_);
  scales_.clear();
  for (const auto& e : scales) {
    if (ck<RuntimeFailure>(H5Aexists(e.scale, "REFERENCE_LIST"),
                           "look up attribute 'REFERENCE_LIST'", e.scale) > 0)
      throw RuntimeFailure(describe(e.scale) + ": dimension scale has attached datasets already");
    std::vector<DsList> rows;
    for (const auto& [ref, dim] : e.datasets)
      rows.push_back(DsList{ref, static_cast<unsigned>(dim)});
    const hsize_t n = rows.size();
    Handle space(ck<RuntimeFailure>(H5Screate_simple(1, &n, nullptr), "create dataspace", e.scale));
    Handle type(
        ck<RuntimeFailure>(H5Tcreate(H5T_COMPOUND, sizeof(DsList)), "create type", e.scale));
    ck<RuntimeFailure>(H5Tinsert(type.id(), "dataset", HOFFSET(DsList, ref), H5T_STD_REF_OBJ),
                       "create type", e.scale);
    ck<RuntimeFailure>(H5Tinsert(type.id(), "dimension", HOFFSET(DsList, dim_idx), H5T_NATIVE_INT),
                       "create type", e.scale);
    Handle attr(ck<RuntimeFailure>(
        H5Acreate2(e.scale, "REFERENCE_LIST", type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT),
        "create attribute REFERENCE_LIST", e.scale));
    ck<RuntimeFailure>(H5Awrite(attr.id(), type.id(), rows.data()),
                       "write attribute REFERENCE_LIST", e.scale);
  }
}

void label_dim(hid_t dset, unsigned dim, const std::string& label) {
  quiet_errors();
  ck<RuntimeFailure>(H5DSset_label(dset, dim, label.c_str()),
                     "label dimension " + std::to_string(dim) + " '" + label + "'", dset);
}

std::string library_version() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release);
}

}  // namespace asim::h5
