// JSON answers of the classroom server (`alliance-sim serve`): controls, days of a classroom
// group, events and errors. Hand-written, as the answers are small and flat.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "models/classroom.hpp"

namespace asim {

class Json {
 public:
  Json& raw(std::string_view s) {
    out_ += s;
    return *this;
  }
  Json& str(std::string_view s);  // a quoted, escaped string
  Json& num(double v);            // null when not finite
  Json& boolean(bool b) { return raw(b ? "true" : "false"); }
  // "key": (with a comma before it unless first)
  Json& key(std::string_view k, bool first = false) {
    if (!first) out_ += ',';
    str(k);
    out_ += ':';
    return *this;
  }
  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

std::string controls_json(const std::vector<ClassroomControl>& controls);
void event_json(Json& j, const ClassroomEvent& e);
void day_json(Json& j, const ClassroomDay& d);
std::string error_json(const std::string& message);

}  // namespace asim
