# casedoc_add_plugin(<id> SOURCES <src>... [OUTPUT_DIRECTORY <dir>] [NO_LOAD_CHECK])
# Builds casedoc_<id>.so: a MODULE with hidden visibility, no undefined symbols, and only the two
# symbols of the plugin contract exported.
# After every build, `casedoc plugin check --load-only` loads the module as the host will: when its
# descriptor's id is not <id> (or the ABI or the descriptor is refused), the build fails with the host's
# message and the module is deleted, so that the next build fails too. NO_LOAD_CHECK skips this (for
# deliberately broken test fixtures). The casedoc program that checks is the `casedoc` target in casedoc's
# own tree, else casedoc_EXECUTABLE (set by find_package(casedoc)).
# Also adds an `uninstall` target to the project when it has none (casedoc_add_uninstall_target()).
function(casedoc_add_plugin id)
  cmake_parse_arguments(ARG "NO_LOAD_CHECK" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
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
  if(NOT CASEDOC_SANITIZE AND NOT CASEDOC_FUZZ) # sanitizer runtimes are in the program, not the plugin
    target_link_options(${target} PRIVATE -Wl,--no-undefined -Wl,--exclude-libs,ALL)
  endif()
  if(TARGET casedoc::plugin_api)
    target_link_libraries(${target} PRIVATE casedoc::plugin_api)
  endif()

  if(NOT ARG_NO_LOAD_CHECK)
    if(TARGET casedoc)
      set(program $<TARGET_FILE:casedoc>)
      add_dependencies(${target} casedoc)
    elseif(casedoc_EXECUTABLE)
      set(program ${casedoc_EXECUTABLE})
    else()
      message(FATAL_ERROR "casedoc_add_plugin(${id}): no casedoc program to check the plugin with "
                          "(find_package(casedoc) sets casedoc_EXECUTABLE)")
    endif()
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND ${CMAKE_COMMAND} -DCASEDOC=${program} -DPLUGIN=$<TARGET_FILE:${target}> -DID=${id}
              -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/casedoc_plugin_check.cmake
      VERBATIM)
  endif()
  casedoc_add_uninstall_target()
endfunction()

# casedoc_add_uninstall_target(): an `uninstall` target (unless the project has one) that removes every file
# the last `cmake --install` of this build tree wrote (install_manifest.txt), and the folders under a
# casedoc folder that this leaves empty.
function(casedoc_add_uninstall_target)
  if(NOT TARGET uninstall)
    add_custom_target(uninstall
      COMMAND ${CMAKE_COMMAND} -DMANIFEST=${CMAKE_BINARY_DIR}/install_manifest.txt
              -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/casedoc_uninstall.cmake
      COMMENT "Removing the files of install_manifest.txt" VERBATIM)
  endif()
endfunction()
