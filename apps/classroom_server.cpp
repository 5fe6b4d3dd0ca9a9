// The request handling of `alliance-sim serve`: routes, parameter checks, sessions, limits.
#include "apps/classroom_server.hpp"

#include <httplib.h>
#include <stdlib.h>  // mkdtemp

#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>

#include "apps/classroom_json.hpp"
#include "apps/rate_limit.hpp"
#include "engine/errors.hpp"
#include "models/scenarios.hpp"

namespace asim {

struct WebAsset {
  std::string_view path, text;
};
extern const WebAsset kWebAssets[];
extern const int kWebAssetCount;

namespace {

constexpr std::size_t kPayloadLimit = 16 * 1024;  // bytes of a request body
constexpr int kMaxStepDays = 30;                  // days one request may simulate
constexpr int kPanels = 2;                        // side-by-side mode
constexpr double kSessionMegabytes = kServeSessionMegabytes;

// --- request parsing ----------------------------------------------------------------------
// A bad query parameter; like a bad setting (ConfigError), answered 400.
struct BadRequest : ConfigError {
  using ConfigError::ConfigError;
};

std::string param(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) throw BadRequest(std::string("missing parameter '") + name + "'");
  return req.get_param_value(name);
}

int int_param(const httplib::Request& req, const char* name, int lo, int hi, int fallback) {
  if (!req.has_param(name)) return fallback;
  const std::string text = req.get_param_value(name);
  int v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi)
    throw BadRequest(std::string(name) + " = '" + text + "' is not allowed: a whole number in [" +
                     std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return v;
}

std::string range_of(const ClassroomControl& c) {
  std::ostringstream s;
  switch (c.type) {
    case ParamType::Boolean:
      return "true or false";
    case ParamType::Choice:
      s << "one of";
      for (std::size_t k = 0; k < c.choices.size(); ++k)
        s << (k ? ", " : " ") << '"' << c.choices[k] << '"';
      return s.str();
    default:
      s << "[" << c.min << ", " << c.max << "]";
      return s.str();
  }
}

// The page's settings: every query parameter except session, panel and days names a control.
ClassroomSettings settings_from(const httplib::Request& req,
                                const std::vector<ClassroomControl>& controls) {
  ClassroomSettings out;
  for (const auto& [name, text] : req.params) {
    if (name == "session" || name == "panel" || name == "days") continue;
    const ClassroomControl* control = nullptr;
    for (const auto& c : controls)
      if (c.name == name) control = &c;
    if (!control) {
      std::string list;
      for (const auto& c : controls) list += (list.empty() ? "" : ", ") + c.name;
      throw BadRequest("'" + name + "' is not a classroom control (controls: " + list + ")");
    }
    double v = std::nan("");
    if (control->type == ParamType::Boolean && (text == "true" || text == "false")) {
      v = text == "true";
    } else if (control->type == ParamType::Choice) {
      for (std::size_t k = 0; k < control->choices.size(); ++k)
        if (control->choices[k] == text) v = static_cast<double>(k);
    }
    if (std::isnan(v)) {
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
          !std::isfinite(v))
        throw BadRequest(name + " = '" + text.substr(0, 40) + "' is not a value: allowed " +
                         range_of(*control));
    }
    out[name] = v;
  }
  return out;
}

// A fresh directory only this process can enter, removed with its contents.
class PrivateDir {
 public:
  PrivateDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "alliance-sim-export-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw RuntimeFailure(tmpl + ": cannot make a private directory");
    path_ = tmpl;
  }
  ~PrivateDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  PrivateDir(const PrivateDir&) = delete;
  PrivateDir& operator=(const PrivateDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// --- sessions ------------------------------------------------------------------------------
void send_json(httplib::Response& res, const std::string& body, int status = 200) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body, "application/json");
}

// 429 with the seconds to wait before the next request is accepted.
void too_many(httplib::Response& res, long wait, const std::string& what) {
  res.set_header("Retry-After", std::to_string(wait));
  send_json(res,
            error_json("too many requests: " + what + "; retry in " + std::to_string(wait) + " s"),
            429);
}

std::string limit_text(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

double seconds_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Session {
  Session(double rate, double burst) : requests(rate, burst, seconds_now()) {}
  std::mutex mutex;      // one request at a time per session
  TokenBucket requests;  // guarded by Sessions' mutex
  std::array<std::unique_ptr<ClassroomSimulation>, kPanels> panels;
  std::chrono::steady_clock::time_point created, last_used;
  std::uint64_t last_use = 0;  // order of last use among all sessions
  bool used = false;  // any request since creation (a page that never started is abandoned)
};

// A session that saw no request this long after its creation belongs to a page closed while it
// was being created (a reload at that moment): it gives way first when every place is taken.
constexpr int kAbandonedSeconds = 30;

class Sessions {
 public:
  Sessions(int max_sessions, int idle_seconds, double rate, double burst)
      : max_(max_sessions), idle_(idle_seconds), rate_(rate), burst_(burst) {}
  // A new session id, or empty when every slot is in use and none has been idle long enough.
  std::string create() {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (static_cast<int>(sessions_.size()) >= max_) {
      auto oldest = sessions_.end(), abandoned = sessions_.end();
      for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
        if (oldest == sessions_.end() || it->second->last_use < oldest->second->last_use)
          oldest = it;
        if (!it->second->used &&
            now - it->second->created >= std::chrono::seconds(kAbandonedSeconds) &&
            (abandoned == sessions_.end() || it->second->last_use < abandoned->second->last_use))
          abandoned = it;
      }
      if (abandoned != sessions_.end()) {
        sessions_.erase(abandoned);
      } else {
        if (oldest == sessions_.end() ||
            now - oldest->second->last_used < std::chrono::seconds(idle_))
          return {};
        sessions_.erase(oldest);
      }
    }
    std::string id;
    do {  // 128 bits, each 32 drawn from the operating system's entropy source
      char buf[40];
      std::snprintf(buf, sizeof buf, "%08x%08x%08x%08x", random_(), random_(), random_(),
                    random_());
      id = buf;
    } while (sessions_.count(id));
    auto s = std::make_shared<Session>(rate_, burst_);
    s->created = s->last_used = now;
    s->last_use = ++uses_;
    sessions_[id] = s;
    return id;
  }
  // The session (null when unknown) and, when it has sent too many requests, the seconds to
  // wait (the request is then refused and does not count as a use).
  std::pair<std::shared_ptr<Session>, long> find(const std::string& id) {
    std::lock_guard lock(mutex_);
    const auto it = sessions_.find(id);
    if (it == sessions_.end()) return {nullptr, 0};
    if (const long wait = it->second->requests.take(seconds_now())) return {it->second, wait};
    it->second->last_used = std::chrono::steady_clock::now();
    it->second->last_use = ++uses_;
    it->second->used = true;
    return {it->second, 0};
  }
  void for_each(const std::function<void(Session&)>& f) {
    std::vector<std::shared_ptr<Session>> all;
    {
      std::lock_guard lock(mutex_);
      for (const auto& [id, s] : sessions_) all.push_back(s);
    }
    for (const auto& s : all) {
      std::lock_guard lock(s->mutex);
      f(*s);
    }
  }
  bool close(const std::string& id) {
    std::lock_guard lock(mutex_);
    return sessions_.erase(id) > 0;
  }
  int size() {
    std::lock_guard lock(mutex_);
    return static_cast<int>(sessions_.size());
  }
  int max() const { return max_; }
  int idle_seconds() const { return idle_; }

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Session>> sessions_;
  const int max_, idle_;
  const double rate_, burst_;
  std::uint64_t uses_ = 0;  // orders sessions by last use (the clock may not move)
  std::random_device random_{"/dev/urandom"};  // 32 bits a call
};

std::string content_type(std::string_view path) {
  auto ends = [&](std::string_view ext) {
    return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  return "text/plain; charset=utf-8";
}

const WebAsset* find_asset(std::string_view path) {
  if (path == "/") path = "/index.html";
  for (int i = 0; i < kWebAssetCount; ++i)
    if (kWebAssets[i].path == path) return &kWebAssets[i];
  return nullptr;
}

}  // namespace

Scenario load_serve_scenario(const ServeRequest& r) {
  const ScenarioLoader loader = model_scenario_loader();
  Scenario s =
      r.scenario_file.empty() ? loader.load_builtin("baseline") : loader.load_file(r.scenario_file);
  for (const auto& o : r.overrides) {
    loader.apply_override(s, o);
    std::string key = o.substr(0, o.find('='));
    key.erase(key.find_last_not_of(" \t") + 1);
    key.erase(0, key.find_first_not_of(" \t"));
    if (set_by_classroom(key))
      throw ConfigError("--set " + key +
                        ": is set by classroom mode (one group of the setting "
                        "chosen on the page, every referral placed in it)");
  }
  classroom_scenario(s, {});  // the scenario must make a valid classroom group
  return s;
}

struct ClassroomServer::State {
  State(const Scenario& b, const ServeRequest& r)
      : base(b),
        request(r),
        controls(classroom_controls(base)),
        controls_text(controls_json(controls)),
        sessions(r.max_sessions, r.idle_seconds, r.rate_limit, r.rate_burst),
        creations(r.create_rate_limit, r.create_burst) {}
  const Scenario base;
  const ServeRequest request;
  const std::vector<ClassroomControl> controls;
  const std::string controls_text;
  Sessions sessions;
  std::mutex creations_mutex;
  RateLimiter creations;  // new sessions per remote address
};

namespace {

void check_limit(double value, const char* option) {
  if (!(value > 0) || !std::isfinite(value))
    throw ConfigError(std::string(option) + " must be a positive number");
}

}  // namespace

ClassroomServer::ClassroomServer(const Scenario& base, const ServeRequest& request) {
  if (request.max_sessions < 1) throw ConfigError("--max-sessions must be at least 1");
  check_limit(request.rate_limit, "--rate-limit");
  check_limit(request.create_rate_limit, "--create-rate-limit");
  if (!(request.rate_burst >= 1) || !std::isfinite(request.rate_burst))
    throw ConfigError("--rate-burst must be at least 1");
  if (!(request.create_burst >= 1) || !std::isfinite(request.create_burst))
    throw ConfigError("--create-burst must be at least 1");
  state_ = std::make_unique<State>(base, request);
}

ClassroomServer::~ClassroomServer() = default;

const std::vector<ClassroomControl>& ClassroomServer::controls() const {
  return state_->controls;
}

void ClassroomServer::for_each_simulation(
    const std::function<void(const ClassroomSimulation&)>& f) {
  state_->sessions.for_each([&](Session& s) {
    for (const auto& sim : s.panels)
      if (sim) f(*sim);
  });
}

void ClassroomServer::install(httplib::Server& server) {
  State* const st = state_.get();
  // Short timeouts for an httplib::Server that reads its own sockets (serve_command's
  // PolledServer reads whole requests before they reach a worker and has its own limits).
  server.set_payload_max_length(kPayloadLimit);
  server.set_read_timeout(2);
  server.set_write_timeout(5);

  // Runs `body` with the request's session (404 when unknown, 429 when it sends too many
  // requests) and answers 400 for bad input.
  auto with_session = [st](const httplib::Request& req, httplib::Response& res, auto&& body) {
    try {
      const auto [s, wait] = st->sessions.find(param(req, "session"));
      if (!s) return send_json(res, error_json("unknown session; reload the page"), 404);
      if (wait)
        return too_many(res, wait,
                        "this session sent more than " + limit_text(st->request.rate_limit) +
                            " requests a second (at most " + limit_text(st->request.rate_burst) +
                            " at once)");
      const int panel = int_param(req, "panel", 0, kPanels - 1, 0);
      std::lock_guard lock(s->mutex);
      body(*s, panel);
    } catch (const ConfigError& e) {  // BadRequest too
      send_json(res, error_json(e.what()), 400);
    }
  };
  // Runs `body` with the panel's simulation (400 when the panel has none yet).
  auto with_simulation = [with_session](const httplib::Request& req, httplib::Response& res,
                                        auto&& body) {
    with_session(req, res, [&](Session& s, int panel) {
      auto& sim = s.panels[static_cast<std::size_t>(panel)];
      if (!sim)
        throw BadRequest("panel " + std::to_string(panel) + " has no simulation; reset it first");
      body(*sim);
    });
  };
  // {"scenario", "max_days", "days": [...]}: the current day (steps = 0) or the next `steps` days.
  const auto days_json = [](ClassroomSimulation& sim, int steps) {
    Json j;
    j.raw("{")
        .key("scenario", true)
        .str(sim.scenario().name)
        .key("max_days")
        .num(ClassroomSimulation::kMaxDays);
    j.key("days").raw("[");
    if (steps == 0) day_json(j, sim.today());
    for (int d = 0; d < steps && sim.step_day(); ++d) {
      if (d) j.raw(",");
      day_json(j, sim.today());
    }
    j.raw("]}");
    return j.text();
  };

  server.Get("/api/controls", [st](const httplib::Request&, httplib::Response& res) {
    send_json(res, st->controls_text);
  });
  server.Post("/api/session", [st](const httplib::Request& req, httplib::Response& res) {
    long wait = 0;
    {
      std::lock_guard lock(st->creations_mutex);
      wait = st->creations.take(req.remote_addr, seconds_now());
    }
    if (wait)
      return too_many(res, wait,
                      "more than " + limit_text(st->request.create_rate_limit) +
                          " new sessions a second (at most " +
                          limit_text(st->request.create_burst) + " at once) from " +
                          req.remote_addr);
    const std::string id = st->sessions.create();
    if (id.empty()) {
      // The page shows this text and disables its controls (the field "full").
      const int max = st->sessions.max(), idle = st->sessions.idle_seconds();
      const std::string wait = idle % 60 == 0 && idle >= 60 ? std::to_string(idle / 60) + " minutes"
                                                            : std::to_string(idle) + " seconds";
      Json j;
      j.raw("{")
          .key("error", true)
          .str("all " + std::to_string(max) +
               " classroom sessions are in use (one per open tab). A tab "
               "left idle for " +
               wait +
               " gives way to a new one: close a tab you no longer need, or "
               "reload this page in a while. The lecturer can allow more tabs by restarting the "
               "server "
               "with alliance-sim serve --max-sessions " +
               std::to_string(std::max(2 * max, 64)) + " (about " + limit_text(kSessionMegabytes) +
               " MB of memory each).")
          .key("full")
          .boolean(true)
          .key("max_sessions")
          .num(max)
          .key("idle_seconds")
          .num(idle)
          .raw("}");
      return send_json(res, j.text(), 503);
    }
    Json j;
    j.raw("{").key("session", true).str(id).key("scenario").str(st->base.name).raw("}");
    send_json(res, j.text());
  });
  server.Post("/api/close", [st](const httplib::Request& req, httplib::Response& res) {
    const bool closed =
        req.has_param("session") && st->sessions.close(req.get_param_value("session"));
    send_json(res, closed ? "{\"closed\":true}" : error_json("unknown session"),
              closed ? 200 : 404);
  });
  // (Re)starts a panel's simulation with the page's settings; answers its day 0.
  server.Post("/api/reset",
              [st, with_session, days_json](const httplib::Request& req, httplib::Response& res) {
                with_session(req, res, [&](Session& s, int panel) {
                  const ClassroomSettings settings = settings_from(req, st->controls);
                  s.panels[static_cast<std::size_t>(panel)] =
                      std::make_unique<ClassroomSimulation>(st->base, settings);
                  send_json(res, days_json(*s.panels[static_cast<std::size_t>(panel)], 0));
                });
              });
  // Simulates `days` more days (1-30); answers every day's state.
  server.Post("/api/step",
              [with_simulation, days_json](const httplib::Request& req, httplib::Response& res) {
                with_simulation(req, res, [&](ClassroomSimulation& sim) {
                  send_json(res, days_json(sim, int_param(req, "days", 1, kMaxStepDays, 1)));
                });
              });
  server.Get("/api/state", [with_simulation](const httplib::Request& req, httplib::Response& res) {
    with_simulation(req, res, [&](ClassroomSimulation& sim) {
      Json j;
      j.raw("{").key("day", true).num(sim.day()).key("log").raw("[");
      bool first = true;
      for (const auto& e : sim.log()) {
        if (!first) j.raw(",");
        first = false;
        event_json(j, e);
      }
      j.raw("]}");
      send_json(res, j.text());
    });
  });
  // The panel's run so far as an HDF5 result file (the layout of `alliance-sim run`).
  server.Get("/api/export", [with_simulation](const httplib::Request& req, httplib::Response& res) {
    with_simulation(req, res, [&](ClassroomSimulation& sim) {
      // HDF5 writes to a file name; it is made in a directory of our own (mkdtemp, mode 0700)
      // so that no one else can place a file or a link where it writes.
      PrivateDir dir;
      const std::string path = (dir.path() / "export.h5").string();
      sim.write_result_file(
          path, "alliance-sim serve (classroom export, day " + std::to_string(sim.day()) + ")");
      std::ifstream in(path, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      if (!in.good() && !in.eof()) throw RuntimeFailure(path + ": cannot read the export back");
      const std::string name = sim.scenario().name + "_day" + std::to_string(sim.day()) + ".h5";
      res.set_header("Content-Disposition", "attachment; filename=\"" + name + "\"");
      res.set_content(bytes, "application/x-hdf5");
    });
  });
  // The page: only the embedded files of web/static/ exist; nothing is read from disk.
  server.Get(R"(/.*)", [](const httplib::Request& req, httplib::Response& res) {
    const WebAsset* asset = find_asset(req.path);
    if (!asset) {
      res.status = 404;
      return res.set_content("not found\n", "text/plain");
    }
    // Only this server's own files may be loaded by the page: it works offline by construction.
    res.set_header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(std::string(asset->text), content_type(asset->path).c_str());
  });
  server.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        res.set_content(res.status == 413 ? "request too large\n" : "bad request\n", "text/plain");
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "internal error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        res.status = 500;
        res.set_content(error_json(what), "application/json");
      });

  // Bound to loopback, only requests addressed to loopback are served: a web page elsewhere
  // cannot reach the server by pointing a DNS name at 127.0.0.1 (DNS rebinding).
  const std::string& host = st->request.host;
  const bool loopback = host == "127.0.0.1" || host == "::1" || host == "localhost";
  server.set_pre_routing_handler([loopback](const httplib::Request& req, httplib::Response& res) {
    if (!loopback) return httplib::Server::HandlerResponse::Unhandled;
    std::string host = req.get_header_value("Host");
    if (!host.empty() && host.front() == '[')
      host = host.substr(0, host.find(']') + 1);
    else
      host = host.substr(0, host.find(':'));
    if (host == "127.0.0.1" || host == "localhost" || host == "[::1]")
      return httplib::Server::HandlerResponse::Unhandled;
    res.status = 403;
    res.set_content(error_json("Host '" + req.get_header_value("Host") +
                               "' is not served; open the address alliance-sim serve printed"),
                    "application/json");
    return httplib::Server::HandlerResponse::Handled;
  });
}

}  // namespace asim
