# casedoc_add_plugin(<id> SOURCES <src>... [OUTPUT_DIRECTORY <dir>])
# Builds casedoc_<id>.so: a MODULE with hidden visibility, no undefined symbols, and only the two
# symbols of the plugin contract exported.
function(casedoc_add_plugin id)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  set(target casedoc_${id})
  add_library(${target} MODULE ${ARG_SOURCES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME casedoc_${id}
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  elseif(DEFINED CASEDOC_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${CASEDOC_PLUGIN_OUTPUT_DIR})
  endif()
  if(NOT CASEDOC_SANITIZE)
    target_link_options(${target} PRIVATE -Wl,--no-undefined -Wl,--exclude-libs,ALL)
  endif()
  if(TARGET casedoc::plugin_api)
    target_link_libraries(${target} PRIVATE casedoc::plugin_api)
  endif()
endfunction()
