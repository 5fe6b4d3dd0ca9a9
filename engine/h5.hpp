// A thin RAII layer over the HDF5 C API, shared by the result-file recorder and the analysis
// readers. Every failure becomes an exception whose message names the operation, the file and
// the object path, and the innermost description from HDF5's error stack:
//   - functions that read (open_*, read_*, get_attr_*) throw asim::ConfigError, because on the
//     read side a failure means the file is foreign, corrupt or not what we expect (exit 2);
//   - functions that create or write throw asim::RuntimeFailure (exit 1).
// HDF5's automatic printing of its error stack to stderr is switched off (quiet_errors()).
//
// Files are written with library-version bounds [v1.8, v1.8] (see create_file), datasets are
// chunked with shuffle + deflate, strings are UTF-8, and numbers are stored little-endian
// whatever the machine, so files are byte-identical across machines and open in h5py, pandas
// and R's hdf5r without any code of ours.
#pragma once
#include <hdf5.h>

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace asim::h5 {

// Turns off HDF5's automatic error printing for the calling thread. In a thread-safe HDF5 build
// the error-stack settings are per thread, so this is done once per thread; every function in
// this header calls it, and calling it again costs one thread_local test.
void quiet_errors();

// Move-only owner of an HDF5 identifier; closes it with the matching H5?close chosen by
// H5Iget_type (file, group, dataset, attribute, datatype, dataspace, property list).
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_(other.id_) { other.id_ = H5I_INVALID_HID; }
  Handle& operator=(Handle&& other) noexcept;
  ~Handle();

  hid_t id() const { return id_; }
  explicit operator bool() const { return id_ >= 0; }

  // Closes now and throws RuntimeFailure if HDF5 reports an error (for a file: if data could
  // not be written, e.g. the disk is full). A file is refused while any of its objects (groups,
  // datasets, attributes, datatypes) are still open, because its data would then not reach the
  // disk before a rename. The destructor closes silently instead.
  void close();

 private:
  hid_t id_ = H5I_INVALID_HID;
};

// "<file>:<object path>" for an identifier, with `path` appended when it is relative to it.
std::string describe(hid_t loc, std::string_view path = {});

// Error checks for direct calls of the C API (e.g. H5Dwrite_chunk in the recorder): throw
// RuntimeFailure naming `op` and `describe(loc, path)` when `rc` is negative; return rc.
hid_t check_id(hid_t rc, std::string_view op, hid_t loc, std::string_view path = {});
herr_t check(herr_t rc, std::string_view op, hid_t loc, std::string_view path = {});

// ---- files --------------------------------------------------------------------------------

// Creates (truncating) a file for writing.
Handle create_file(const std::string& path);
// Opens a file read-only. Before HDF5 sees it, checks that it exists, is a regular file, is
// readable and carries the HDF5 signature; otherwise ConfigError("<path>: not an HDF5 file"),
// "<path>: no such file", "<path>: is a directory, not an HDF5 file", ...
Handle open_file_read(const std::string& path);
// The version of a file's superblock (0 and 1: HDF5 1.6 style, without checksums; 2 and 3:
// checksummed, as written with library-version bounds >= v1.8), after the checks of
// open_file_read (ConfigError when the file is missing, empty, not HDF5, ...). HDF5 is not called.
int superblock_version(const std::string& path);
// Opens an existing file of ours for appending (used by --resume); same checks as above.
Handle open_file_rw(const std::string& path);
// Flushes a file's buffers to the operating system (H5Fflush, global scope).
void flush(hid_t file_or_object);

// ---- groups, links --------------------------------------------------------------------------

// Creates a group, creating missing intermediate groups ("a/b/c").
Handle create_group(hid_t loc, const std::string& path);
Handle open_group(hid_t loc, const std::string& path);
Handle open_dataset(hid_t loc, const std::string& path);
// Whether `path` names an object below `loc`. Each component is checked in turn (H5Lexists on a
// nested path fails when an intermediate link is missing), a component in the middle that is
// not a group gives false, and a dangling soft link gives false. "" and "/" give true.
bool exists(hid_t loc, const std::string& path);
// Names of the links in a group, sorted.
std::vector<std::string> list_children(hid_t group);

// ---- attributes (on any object: file = root group, group, dataset) ----------------------------
// Writing an attribute that already exists replaces it (its type and shape may change).
// Strings are stored as variable-length, nul-terminated UTF-8 (H5T_CSET_UTF8): h5py 3 reads
// these as `str` (it reads fixed-length string attributes as `bytes`, checked with h5py 3.7) and
// hdf5r as character vectors; the text lives on the global heap, so long texts (scenario files,
// resolved parameters) are not limited by the 64 KiB object-header message size.

// Used by the integer set_attr template: an unsigned value above INT64_MAX is an error.
[[noreturn]] void throw_int_attr_out_of_range(const std::string& name);
template <std::integral I>
std::int64_t checked_int64(I value, const std::string& name) {
  if constexpr (std::is_unsigned_v<I> && sizeof(I) >= sizeof(std::int64_t)) {
    if (value > static_cast<std::uint64_t>(INT64_MAX)) throw_int_attr_out_of_range(name);
  }
  return static_cast<std::int64_t>(value);
}

void set_attr(hid_t obj, const std::string& name, std::string_view value);
inline void set_attr(hid_t obj, const std::string& name, const char* value) {
  set_attr(obj, name, std::string_view(value));
}
void set_attr(hid_t obj, const std::string& name, double value);
void set_attr_int(hid_t obj, const std::string& name, std::int64_t value);
// Any integer type (int, long, size_t, ...) is stored as a 64-bit signed integer.
template <std::integral I>
requires(!std::same_as<I, bool>) void set_attr(hid_t obj, const std::string& name, I value) {
  set_attr_int(obj, name, checked_int64(value, name));
}
void set_attr(hid_t obj, const std::string& name, bool value) = delete;  // say 0/1 or "true"
void set_attr(hid_t obj, const std::string& name, const std::vector<std::string>& values);
void set_attr(hid_t obj, const std::string& name, const std::vector<double>& values);
void set_attr(hid_t obj, const std::string& name, const std::vector<std::int64_t>& values);

bool has_attr(hid_t obj, const std::string& name);
// Readers check the stored type class (string / float / integer) and the number of elements
// (one for the scalar readers) and throw ConfigError naming the object and attribute otherwise.
// get_attr_string also reads fixed-length strings written by other tools; get_attr_double also
// reads integer attributes; get_attr_strings reads a scalar string as a one-element vector.
std::string get_attr_string(hid_t obj, const std::string& name);
double get_attr_double(hid_t obj, const std::string& name);
std::int64_t get_attr_int(hid_t obj, const std::string& name);
std::vector<std::string> get_attr_strings(hid_t obj, const std::string& name);
std::vector<double> get_attr_doubles(hid_t obj, const std::string& name);
std::vector<std::int64_t> get_attr_ints(hid_t obj, const std::string& name);

// Attributes "units" (e.g. "days", "1" for dimensionless) and "description" (one line).
void set_units(hid_t obj, std::string_view units, std::string_view meaning);

// ---- datasets -------------------------------------------------------------------------------

// Element types; stored as little-endian IEEE floats and two's-complement integers.
enum class Dtype { F32, F64, I8, I32, I64 };
const char* dtype_name(Dtype t);  // "float32", ...

// A one-dimensional numeric attribute stored with element type t (converted from double), e.g.
// CF's flag_values, which take the type of the variable they describe.
void set_attr(hid_t obj, const std::string& name, Dtype t, const std::vector<double>& values);

// Creates a one-dimensional dataset of variable-length UTF-8 strings (contiguous, not
// compressed) holding `values`; e.g. a coordinate of names.
Handle create_string_dataset(hid_t loc, const std::string& name,
                             const std::vector<std::string>& values);
// Reads a one-dimensional dataset of strings (variable-length or fixed-length); ConfigError
// naming the dataset when it is not one.
std::vector<std::string> read_string_dataset(hid_t dset);

// Creates a chunked dataset of shape `dims` (rank >= 1).
//   chunk:     chunk shape, same rank; each chunk dimension is clamped to the dataset dimension
//              where that dimension is fixed and nonzero. Keep chunks <= 1 MiB (HDF5's default
//              chunk cache) unless the cache is raised.
//   unlimited: per dimension, whether it may grow (empty = none). A dimension of length 0 is
//              always made unlimited, since HDF5 cannot chunk a fixed zero-length dimension;
//              so an empty events table is {0, ncols} and grows with write().
//   deflate_level: 0..9; 0 stores chunks uncompressed (and without shuffle), else shuffle then
//              deflate at that level.
//   fill:      value of never-written elements: NaN for float types and 0 for integer types
//              unless given. Chunks are allocated when first written (H5D_ALLOC_TIME_INCR) and
//              filled first (H5D_FILL_TIME_IFSET), so unwritten regions read as the fill value.
Handle create_dataset(hid_t loc, const std::string& name, Dtype t, std::vector<hsize_t> dims,
                      std::vector<hsize_t> chunk, std::vector<bool> unlimited = {},
                      int deflate_level = 4, std::optional<double> fill = std::nullopt);

// Writes `data` (row-major, `count` elements per dimension, of type t) into the hyperslab at
// `offset`. If offset + count passes the current extent of a dimension that may grow, the
// dataset is extended first (H5Dset_extent); past a fixed dimension it is an error. A count
// with a zero writes nothing.
void write(hid_t dset, Dtype t, const void* data, std::vector<hsize_t> offset,
           std::vector<hsize_t> count);
// Writes the whole current extent.
void write_all(hid_t dset, Dtype t, const void* data);

// Current shape.
std::vector<hsize_t> shape(hid_t dset);
// Stored element type, or nullopt when it is none of Dtype (e.g. an unsigned or string dataset).
std::optional<Dtype> stored_dtype(hid_t dset);

// Reads the whole dataset, or the hyperslab (offset, count), into `out` (resized, row-major).
// The stored type class must match (float for float/double, integer for the integer types) and
// the conversion must not narrow (a stored float64 is not read into float, a stored int64 not
// into int32); otherwise ConfigError naming the dataset. Also ConfigError when the hyperslab
// does not fit the dataset's shape.
void read_all(hid_t dset, std::vector<float>& out);
void read_all(hid_t dset, std::vector<double>& out);
void read_all(hid_t dset, std::vector<std::int8_t>& out);
void read_all(hid_t dset, std::vector<std::int32_t>& out);
void read_all(hid_t dset, std::vector<std::int64_t>& out);
void read(hid_t dset, std::vector<float>& out, std::vector<hsize_t> offset,
          std::vector<hsize_t> count);
void read(hid_t dset, std::vector<double>& out, std::vector<hsize_t> offset,
          std::vector<hsize_t> count);
void read(hid_t dset, std::vector<std::int8_t>& out, std::vector<hsize_t> offset,
          std::vector<hsize_t> count);
void read(hid_t dset, std::vector<std::int32_t>& out, std::vector<hsize_t> offset,
          std::vector<hsize_t> count);
void read(hid_t dset, std::vector<std::int64_t>& out, std::vector<hsize_t> offset,
          std::vector<hsize_t> count);

// ---- dimension scales (HDF5 high-level library, H5DS) ----------------------------------------

// Makes `dset` a dimension scale called `name` (e.g. "day").
void make_scale(hid_t dset, const std::string& name);
// Whether `dset` is a dimension scale (H5DSis_scale).
bool is_scale(hid_t dset);
// Attaches scale `scale` to dimension `dim` of `dset`.
void attach_scale(hid_t dset, hid_t scale, unsigned dim);
// Attaches scales to many fresh datasets at once, with the attributes H5DSattach_scale writes
// (DIMENSION_LIST on each dataset: per dimension a variable-length list of object references to
// its scales; REFERENCE_LIST on each scale: (dataset reference, dimension) pairs in the order
// attached), but each attribute written once instead of read, deleted and rewritten at every
// attachment, which makes H5DSattach_scale quadratic in the datasets per scale (a scenario's
// file has some 75 datasets on its replicate and youth scales). For datasets that have no
// scale yet and scales made with make_scale that no dataset uses yet. finish() writes the
// scales' lists and must be called while the scales are still open; without it (an exception
// on the way) the scales lack their back references.
class ScaleAttachments {
 public:
  ScaleAttachments() = default;
  ScaleAttachments(const ScaleAttachments&) = delete;
  ScaleAttachments& operator=(const ScaleAttachments&) = delete;
  // Attaches scales[d] to dimension d of `dset` (one scale per dimension, from dimension 0).
  void attach(hid_t dset, const std::vector<hid_t>& scales);
  void finish();

 private:
  struct Entry {
    hid_t scale;
    std::vector<std::pair<hobj_ref_t, int>> datasets;  // (dataset, dimension)
  };
  std::vector<Entry> scales_;
};
// Labels dimension `dim` of `dset` (e.g. "replicate", "day").
void label_dim(hid_t dset, unsigned dim, const std::string& label);

// The HDF5 library version in use, e.g. "1.10.8".
std::string library_version();

}  // namespace asim::h5
