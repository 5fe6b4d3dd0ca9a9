# Embeds every scenarios/*.toml into the binary (one source, no second copy): builtin:<stem>.
include(${CMAKE_CURRENT_LIST_DIR}/embed_files.cmake)
asim_embed_files(OUT ${OUT} PATTERN ${SRC}/scenarios/*.toml
  COMMENT "cmake/embed_scenarios.cmake from scenarios/*.toml"
  TYPE EmbeddedScenario FIELD name ARRAY kEmbeddedScenarios COUNT kEmbeddedScenarioCount
  DELIM asim_toml KEY STEM)
