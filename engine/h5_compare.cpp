// Object-by-object comparison of two HDF5 files (see h5_compare.hpp).
#include "engine/h5_compare.hpp"

#include <algorithm>
#include <cstring>
#include <set>

#include "engine/h5.hpp"

namespace asim::h5 {
namespace {

struct Visit {
  std::vector<std::string> paths;
};

herr_t collect(hid_t, const char* name, const H5O_info_t*, void* data) {
  static_cast<Visit*>(data)->paths.emplace_back(name);
  return 0;
}

std::vector<std::string> objects(hid_t file) {
  Visit v;
  H5Ovisit(file, H5_INDEX_NAME, H5_ITER_INC, collect, &v);
  std::sort(v.paths.begin(), v.paths.end());
  return v.paths;
}

std::vector<std::string> attribute_names(hid_t obj) {
  std::vector<std::string> names;
  H5O_info_t info;
  H5Oget_info(obj, &info);
  for (hsize_t i = 0; i < info.num_attrs; ++i) {
    const ssize_t len =
        H5Aget_name_by_idx(obj, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    std::string name(static_cast<std::size_t>(len), '\0');
    H5Aget_name_by_idx(obj, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size() + 1,
                       H5P_DEFAULT);
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Variable-length strings, read through `read(memory_type, buffer)`: the text is compared, not
// the pointers that a read in the stored type would give.
template <typename Read>
std::string variable_strings(hid_t stored, hid_t space, hssize_t n, Read read) {
  std::vector<char*> text(static_cast<std::size_t>(n), nullptr);
  Handle mem(H5Tcopy(H5T_C_S1));
  H5Tset_size(mem.id(), H5T_VARIABLE);
  H5Tset_cset(mem.id(), H5Tget_cset(stored));
  if (n > 0 && read(mem.id(), text.data()) < 0) return "unreadable variable-length strings";
  std::string joined;
  for (char* t : text) {
    joined += t ? t : "";
    joined.push_back('\0');
  }
  if (n > 0) H5Dvlen_reclaim(mem.id(), space, H5P_DEFAULT, text.data());
  return joined;
}

// Raw bytes of an attribute or dataset in its stored type. Dimension-scale REFERENCE_LIST and
// DIMENSION_LIST attributes hold object references, compared by their dereferenced names.
std::string attribute_bytes(hid_t obj, const std::string& name) {
  Handle attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT));
  Handle type(H5Aget_type(attr.id()));
  Handle space(H5Aget_space(attr.id()));
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  const H5T_class_t cls = H5Tget_class(type.id());
  if (cls == H5T_STRING && H5Tis_variable_str(type.id()) > 0)
    return variable_strings(type.id(), space.id(), n,
                            [&](hid_t mem, void* buf) { return H5Aread(attr.id(), mem, buf); });
  if (cls == H5T_VLEN || cls == H5T_COMPOUND || cls == H5T_REFERENCE) {
    // References and variable-length lists point into the file; describe their shape only.
    return "class " + std::to_string(cls) + " n " + std::to_string(n);
  }
  const std::size_t size = H5Tget_size(type.id());
  std::string bytes(size * static_cast<std::size_t>(n), '\0');
  H5Aread(attr.id(), type.id(), bytes.data());
  return bytes;
}

std::string dataset_bytes(hid_t ds) {
  Handle type(H5Dget_type(ds));
  Handle space(H5Dget_space(ds));
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  if (H5Tget_class(type.id()) == H5T_STRING && H5Tis_variable_str(type.id()) > 0)
    return variable_strings(type.id(), space.id(), n, [&](hid_t mem, void* buf) {
      return H5Dread(ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
    });
  if (H5Tdetect_class(type.id(), H5T_VLEN) > 0 || H5Tdetect_class(type.id(), H5T_REFERENCE) > 0)
    return "unsupported variable-length or reference members";  // not written by alliance-sim
  const std::size_t size = H5Tget_size(type.id());
  std::string bytes(size * static_cast<std::size_t>(n), '\0');
  if (n > 0) H5Dread(ds, type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
  return bytes;
}

std::string compare_attributes(hid_t a, hid_t b, const std::string& where,
                               const std::set<std::string>& ignored) {
  auto na = attribute_names(a), nb = attribute_names(b);
  std::erase_if(na, [&](const std::string& s) { return ignored.count(s) > 0; });
  std::erase_if(nb, [&](const std::string& s) { return ignored.count(s) > 0; });
  if (na != nb) return where + ": attribute names differ";
  for (const auto& name : na)
    if (attribute_bytes(a, name) != attribute_bytes(b, name))
      return where + ": attribute '" + name + "' differs";
  return {};
}

}  // namespace

std::string compare_files(const std::string& path_a, const std::string& path_b,
                          const std::vector<std::string>& ignored_root_attributes) {
  Handle fa = open_file_read(path_a), fb = open_file_read(path_b);
  const std::set<std::string> ignored(ignored_root_attributes.begin(),
                                      ignored_root_attributes.end());
  if (auto d = compare_attributes(fa.id(), fb.id(), "/", ignored); !d.empty()) return d;
  const auto oa = objects(fa.id()), ob = objects(fb.id());
  if (oa != ob) {
    for (std::size_t i = 0; i < std::min(oa.size(), ob.size()); ++i)
      if (oa[i] != ob[i]) return "object lists differ at '" + oa[i] + "' vs '" + ob[i] + "'";
    return "object lists differ in length (" + std::to_string(oa.size()) + " vs " +
           std::to_string(ob.size()) + ")";
  }
  for (const auto& path : oa) {
    if (path == ".") continue;
    Handle a(H5Oopen(fa.id(), path.c_str(), H5P_DEFAULT)),
        b(H5Oopen(fb.id(), path.c_str(), H5P_DEFAULT));
    if (auto d = compare_attributes(a.id(), b.id(), path, {}); !d.empty()) return d;
    if (H5Iget_type(a.id()) != H5Iget_type(b.id())) return path + ": object kinds differ";
    if (H5Iget_type(a.id()) == H5I_DATASET) {
      if (shape(a.id()) != shape(b.id())) return path + ": shapes differ";
      Handle ta(H5Dget_type(a.id())), tb(H5Dget_type(b.id()));
      if (H5Tequal(ta.id(), tb.id()) <= 0) return path + ": types differ";
      if (dataset_bytes(a.id()) != dataset_bytes(b.id())) return path + ": contents differ";
    }
  }
  return {};
}

}  // namespace asim::h5
