# Run after each build of a plugin by casedoc_add_plugin(): loads it as the host will (`casedoc plugin check
# --load-only`). A plugin that does not load (its descriptor's id is not the one casedoc_add_plugin was given,
# another ABI, a refused descriptor) fails the build, and is deleted so that the next build fails too.
# cmake -DCASEDOC=<casedoc program> -DPLUGIN=<casedoc_<id>.so> -DID=<id> -P casedoc_plugin_check.cmake
execute_process(COMMAND ${CASEDOC} plugin check --load-only ${PLUGIN}
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  file(REMOVE ${PLUGIN})
  # The host's message: the indented lines under "FAIL" (else all that the check printed).
  string(REGEX MATCHALL "\n        [^\n]+" problems "${out}")
  if(problems)
    string(REGEX REPLACE "\n        " "" problems "${problems}")
  else()
    string(STRIP "${out}${err}" problems)
  endif()
  set(hint "")
  if(problems MATCHES "does not match its file name")
    set(hint "the id in the plugin's descriptor must be '${ID}', the id given to casedoc_add_plugin; ")
  endif()
  # NOTICE, unlike FATAL_ERROR, does not rewrap the line: it stays whole for people and for grep.
  message(NOTICE "casedoc_add_plugin(${ID}): ${problems}\ncasedoc_add_plugin(${ID}): ${hint}${PLUGIN} deleted")
  message(FATAL_ERROR "casedoc_add_plugin(${ID}): the plugin does not load")
endif()
