// Boost.URL's compiled part, built here: Debian packages it as a separate library
// (libboost-url1.81-dev) that the header-only Boost install lacks.
#include <boost/url/src.hpp>
