// Subcommand registration and the command line's helpers: see subcommand.hpp.
#include "apps/subcommand.hpp"

#include <algorithm>

#include "engine/errors.hpp"

namespace asim {

namespace {

// Optimal string alignment distance (Levenshtein with adjacent transpositions): the number of
// typing slips between a mistyped word and a subcommand.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

}  // namespace

Subcommands subcommands() {
  Subcommands out;
  add_run_subcommands(out);
  add_analysis_subcommands(out);
  add_calibrate_subcommands(out);
  add_serve_subcommands(out);
  return out;
}

void check_output_not_empty(const CLI::Option* option, const std::string& example) {
  if (option->count() > 0 && option->as<std::string>().empty())
    throw ConfigError(option->get_name() +
                      " \"\": the file name is empty; give a path (e.g. results/x." + example);
}

std::string join_command_line(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    const bool quote = a.find_first_of(" \t\"'$\\") != std::string::npos || a.empty();
    if (quote) {
      std::string q = "'";
      for (char c : a) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
      a = q + "'";
    }
    out += (i ? " " : "") + a;
  }
  return out;
}

std::string unknown_subcommand(int argc, char** argv, const CLI::App& app) {
  if (argc < 2 || argv[1][0] == '-') return "";
  const std::string word = argv[1];
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  if (std::find(names.begin(), names.end(), word) != names.end()) return "";
  std::string nearest, all;
  std::size_t best = std::string::npos;
  for (const auto& n : names) {
    // A prefix of a subcommand ("calib" of "calibrate") counts as one slip.
    const std::size_t dist = n.rfind(word, 0) == 0 ? 1 : edit_distance(word, n);
    if (dist < best) best = dist, nearest = n;
    all += (all.empty() ? "" : ", ") + n;
  }
  // Suggest only a near miss: at most two slips, or a third of a long word.
  const bool near = best <= std::max<std::size_t>(2, word.size() / 3);
  return "'" + word + "' is not a subcommand of alliance-sim" +
         (near ? "; did you mean '" + nearest + "'?" : "") + " (subcommands: " + all +
         "; alliance-sim --help describes them)";
}

}  // namespace asim
