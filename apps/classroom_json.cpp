// JSON answers of the classroom server.
#include "apps/classroom_json.hpp"

#include <cmath>
#include <cstdio>

namespace asim {

Json& Json::str(std::string_view s) {
  out_ += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out_ += "\\\"";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\t':
        out_ += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out_ += buf;
        } else {
          out_ += c;
        }
    }
  }
  out_ += '"';
  return *this;
}

Json& Json::num(double v) {
  if (!std::isfinite(v)) return raw("null");
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return raw(buf);
}

namespace {

const char* type_name(ParamType t) {
  switch (t) {
    case ParamType::Real:
      return "real";
    case ParamType::Integer:
      return "integer";
    case ParamType::Boolean:
      return "boolean";
    case ParamType::Choice:
      return "choice";
    case ParamType::IntegerList:
      return "integer list";  // never a classroom control
    case ParamType::TextList:
      return "text list";
  }
  return "real";
}

}  // namespace

std::string controls_json(const std::vector<ClassroomControl>& controls) {
  Json j;
  j.raw("{").key("controls", true).raw("[");
  for (std::size_t i = 0; i < controls.size(); ++i) {
    const auto& c = controls[i];
    if (i) j.raw(",");
    j.raw("{").key("name", true).str(c.name).key("label").str(c.label).key("unit").str(c.unit);
    j.key("meaning").str(c.meaning).key("type").str(type_name(c.type)).key("min").num(c.min);
    j.key("max").num(c.max).key("default").num(c.value).key("step").num(c.step).key("choices").raw(
        "[");
    for (std::size_t k = 0; k < c.choices.size(); ++k) {
      if (k) j.raw(",");
      j.str(c.choices[k]);
    }
    j.raw("]}");
  }
  j.raw("]}");
  return j.text();
}

void event_json(Json& j, const ClassroomEvent& e) {
  j.raw("{").key("day", true).num(e.day).key("kind").str(e.kind).key("text").str(e.text);
  j.key("bed").num(e.bed).key("youth").num(e.youth);
  if (e.partner >= 0) j.key("partner").num(e.partner);
  j.raw("}");
}

void day_json(Json& j, const ClassroomDay& d) {
  j.raw("{").key("day", true).num(d.day).key("setting").str(d.setting == kOpen ? "open" : "closed");
  j.key("beds").num(d.beds).key("occupancy").num(d.occupancy);
  j.key("climate").raw("{").key("support", true).num(d.support).key("growth").num(d.growth);
  j.key("atmosphere").num(d.atmosphere).key("repression").num(d.repression);
  j.key("team").num(d.team_climate).key("mood").num(d.mood).raw("}");
  j.key("mean_alliance").num(d.mean_alliance).key("mean_motivation").num(d.mean_motivation);
  j.key("incidents").num(d.incidents).key("coercions").num(d.coercions);
  j.key("understaffed").boolean(d.understaffed);
  j.key("youths").raw("[");
  for (std::size_t i = 0; i < d.youths.size(); ++i) {
    const auto& y = d.youths[i];
    if (i) j.raw(",");
    j.raw("{").key("bed", true).num(y.bed).key("id").num(y.id).key("name").str(y.name);
    j.key("mentor")
        .str(y.mentor)
        .key("mentor_slot")
        .num(y.mentor_slot)
        .key("female")
        .boolean(y.female);
    j.key("tracked").boolean(y.tracked).key("profile").num(y.profile).key("age").num(y.age);
    j.key("days").num(y.days_in_care).key("rupture").num(y.rupture).key("ruptures").num(y.ruptures);
    j.key("repairs").num(y.repairs).key("mentor_changes").num(y.mentor_changes);
    j.key("bond").num(y.bond).key("goals").num(y.goals).key("tasks").num(y.tasks);
    j.key("alliance")
        .num(y.alliance)
        .key("motivation")
        .num(y.motivation)
        .key("problems")
        .num(y.problems);
    j.key("youth_rating").num(y.youth_rating).key("mentor_rating").num(y.mentor_rating).raw("}");
  }
  j.raw("]").key("workers").raw("[");
  for (std::size_t i = 0; i < d.workers.size(); ++i) {
    const auto& w = d.workers[i];
    if (i) j.raw(",");
    j.raw("{")
        .key("slot", true)
        .num(w.slot)
        .key("name")
        .str(w.name)
        .key("caseload")
        .num(w.caseload);
    j.key("tenure_days").num(w.tenure_days).key("on_shift").boolean(w.on_shift);
    j.key("sick")
        .boolean(w.sick)
        .key("feedback")
        .boolean(w.uses_feedback)
        .key("stress")
        .num(w.stress);
    j.raw("}");
  }
  j.raw("]").key("ties").raw("[");
  for (std::size_t i = 0; i < d.ties.size(); ++i) {
    const auto& t = d.ties[i];
    if (i) j.raw(",");
    j.raw("{").key("a", true).num(t.a).key("b").num(t.b);
    j.key("kind").str(t.friendship ? "friendship" : "conflict").key("since").num(t.since).raw("}");
  }
  j.raw("]").key("events").raw("[");
  for (std::size_t i = 0; i < d.events.size(); ++i) {
    if (i) j.raw(",");
    event_json(j, d.events[i]);
  }
  j.raw("]}");
}

std::string error_json(const std::string& message) {
  Json j;
  j.raw("{").key("error", true).str(message).raw("}");
  return j.text();
}

}  // namespace asim
