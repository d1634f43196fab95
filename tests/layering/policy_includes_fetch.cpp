// Must NOT compile: the access policy shares address ranges with the fetcher through
// net/, never by including fetch/.
#include "policy/client_ip.h"
#include "fetch/address_policy.h"
