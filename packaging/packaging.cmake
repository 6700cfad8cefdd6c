# The Debian package (cpack -G DEB in the build directory): the program, the plugins, schemas, templates, docs,
# the plugin SDK and the systemd units, installed under /usr; its maintainer scripts make the service's user.
install(FILES ${CMAKE_CURRENT_LIST_DIR}/casedoc.service ${CMAKE_CURRENT_LIST_DIR}/casedoc@.service
        DESTINATION lib/systemd/system)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME casedoc)
set(CPACK_PACKAGE_VENDOR "casedoc")
set(CPACK_PACKAGE_CONTACT "casedoc maintainers <maintainers@users.noreply.h-seed-effe6082.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "documentation and compliance engine for case management")
set(CPACK_PACKAGE_DESCRIPTION "casedoc checks case notes and case records (XML) against the documentation rules of
their setting (hospital, correctional, vocational rehabilitation, child welfare), renders compliant PDF
records, audits caseloads, and answers the same over HTTP (casedoc serve).")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_STRIP_FILES ON) # the debug information stays in the build
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON) # the shared libraries' packages, found by dpkg-shlibdeps
# Read at run time, not linked: the fonts and colour profile of rendered PDFs, and adduser for the service's user.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, fonts-liberation2, fonts-dejavu-core, icc-profiles-free")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_LIST_DIR}/debian/postinst ${CMAKE_CURRENT_LIST_DIR}/debian/prerm ${CMAKE_CURRENT_LIST_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
