#pragma once
// One client connection: reads each request's head and body under the size and time
// limits (431, 413, 100-continue), answers preflights, unknown routes and inline routes
// itself, hands image work to a job (job.h), writes the answer, and drains an unread body
// before closing.

#include <boost/asio/ip/tcp.hpp>

#include "http/server_state.h"

namespace pixmill::http {

void start_connection(boost::asio::ip::tcp::socket socket, Server::Impl& server);

}  // namespace pixmill::http
