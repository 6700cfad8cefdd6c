# cmake --install: the program, the plugins, schemas and templates, the plugin API headers and a CMake
# package, so that outside developers build plugins with
#     find_package(casedoc REQUIRED)
#     casedoc_add_plugin(housing SOURCES housing.cpp)
# The layout is fixed relative to the prefix, because the installed program finds its plugins, schemas and
# templates next to itself (<prefix>/bin/casedoc -> <prefix>/lib/casedoc/plugins, <prefix>/share/casedoc/...).
# The documentation goes to <prefix>/share/doc/casedoc.
include(CMakePackageConfigHelpers)

set(CASEDOC_INSTALL_PLUGIN_DIR lib/casedoc/plugins)
set(CASEDOC_INSTALL_DATA_DIR share/casedoc)
set(CASEDOC_INSTALL_CMAKE_DIR lib/cmake/casedoc)
set(CASEDOC_INSTALL_DOC_DIR share/doc/casedoc)

install(TARGETS casedoc RUNTIME DESTINATION bin)
foreach(id IN LISTS CASEDOC_BUILT_PLUGINS)
  install(TARGETS casedoc_${id} LIBRARY DESTINATION ${CASEDOC_INSTALL_PLUGIN_DIR})
endforeach()
# Schemas and templates: what every setting shares, and those of the plugins built.
foreach(dir IN ITEMS common record LISTS CASEDOC_BUILT_PLUGINS)
  if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/schemas/${dir})
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/schemas/${dir} DESTINATION ${CASEDOC_INSTALL_DATA_DIR}/schemas)
  endif()
  if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/templates/${dir})
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/templates/${dir} DESTINATION ${CASEDOC_INSTALL_DATA_DIR}/templates)
  endif()
endforeach()
install(DIRECTORY DESTINATION ${CASEDOC_INSTALL_DATA_DIR}/templates)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/include/casedoc/plugin_api DESTINATION include/casedoc)

# The header-only plugin API target, exported as casedoc::plugin_api.
set_target_properties(casedoc_plugin_api PROPERTIES EXPORT_NAME plugin_api)
install(TARGETS casedoc_plugin_api EXPORT casedocTargets)
install(EXPORT casedocTargets NAMESPACE casedoc:: DESTINATION ${CASEDOC_INSTALL_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/core/cmake/casedocConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/casedocConfig.cmake INSTALL_DESTINATION ${CASEDOC_INSTALL_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/casedocConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/casedocConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/casedocConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/core/cmake/casedoc_plugin.cmake
              ${PROJECT_SOURCE_DIR}/core/cmake/casedoc_plugin_check.cmake
              ${PROJECT_SOURCE_DIR}/core/cmake/casedoc_uninstall.cmake
        DESTINATION ${CASEDOC_INSTALL_CMAKE_DIR})

# The documentation the plugin tutorial points to, in <prefix>/share/doc/casedoc.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CASEDOC_INSTALL_DOC_DIR})

# cmake --build build --target uninstall: removes what the last cmake --install of this build wrote.
casedoc_add_uninstall_target()
