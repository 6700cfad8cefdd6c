# casedoc_subsystem(<folder> [DEPENDS <folder>...]): the static library casedoc_<folder> of core/src/<folder>/,
# linking the libraries of the folders it depends on (and through them, theirs). Its sources may include
# its own headers, the headers of those folders (core/include/casedoc/<folder>/, or beside the sources for
# pdf, which has no public headers) and the plugin API; check_layers.cmake stops the build otherwise.
function(casedoc_subsystem name)
  cmake_parse_arguments(arg "" "" "DEPENDS" ${ARGN})
  set(src ${PROJECT_SOURCE_DIR}/core/src/${name})
  file(GLOB sources CONFIGURE_DEPENDS ${src}/*.cpp)
  file(GLOB headers CONFIGURE_DEPENDS ${src}/*.hpp ${PROJECT_SOURCE_DIR}/core/include/casedoc/${name}/*.hpp)
  add_library(casedoc_${name} STATIC ${sources})
  target_include_directories(casedoc_${name} PUBLIC ${PROJECT_SOURCE_DIR}/core/include)
  if(name STREQUAL "pdf") # internal to the folders above it: its headers stay beside its sources
    target_include_directories(casedoc_${name} PUBLIC ${src})
  endif()
  target_compile_definitions(casedoc_${name} PRIVATE CASEDOC_VERSION="${PROJECT_VERSION}")
  set(allowed ${name})
  foreach(dep IN LISTS arg_DEPENDS)
    target_link_libraries(casedoc_${name} PUBLIC casedoc_${dep})
    get_property(below GLOBAL PROPERTY casedoc_layers_${dep})
    list(APPEND allowed ${below})
  endforeach()
  list(REMOVE_DUPLICATES allowed)
  set_property(GLOBAL PROPERTY casedoc_layers_${name} ${allowed})
  set(stamp ${CMAKE_CURRENT_BINARY_DIR}/layers/${name}.ok)
  add_custom_command(OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -DFOLDER=${name} "-DALLOWED=${allowed}" -DROOT=${PROJECT_SOURCE_DIR}/core
            -DSTAMP=${stamp} -P ${PROJECT_SOURCE_DIR}/core/cmake/check_layers.cmake
    DEPENDS ${sources} ${headers} ${PROJECT_SOURCE_DIR}/core/cmake/check_layers.cmake
    COMMENT "Checking the includes of core/src/${name} against the layers" VERBATIM)
  add_custom_target(casedoc_${name}_layers DEPENDS ${stamp})
  add_dependencies(casedoc_${name} casedoc_${name}_layers)
endfunction()
