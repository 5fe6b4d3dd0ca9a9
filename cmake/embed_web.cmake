# Embeds the classroom page (web/static/*) into the binary, so `alliance-sim serve` works from
# any directory and offline, and only these files can ever be served (no file-system access).
include(${CMAKE_CURRENT_LIST_DIR}/embed_files.cmake)
asim_embed_files(OUT ${OUT} PATTERN ${SRC}/web/static/*
  COMMENT "cmake/embed_web.cmake from web/static/*"
  TYPE WebAsset FIELD path ARRAY kWebAssets COUNT kWebAssetCount DELIM asim_web KEY PATH)
