# Install rules and the exported package: find_package(dynamate) gives
# dynamate::dynamate. Private dependencies of a static build are found again by
# the package config.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
get_target_property(DYNAMATE_LIBRARY_TYPE dynamate TYPE)

install(TARGETS dynamate EXPORT dynamateTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/dynamate DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT dynamateTargets NAMESPACE dynamate::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dynamate)
configure_package_config_file(cmake/dynamateConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/dynamateConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dynamate)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/dynamateConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/dynamateConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/dynamateConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dynamate)
