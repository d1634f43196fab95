// pixmill: one binary, several subcommands.

#include <iostream>
#include <string>

#include "cli/commands.h"

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "serve") return pixmill::cli::serve_command(argc, argv);
  if (command == "process") return pixmill::cli::process_command(argc, argv);
  if (command == "info") return pixmill::cli::info_command(argc, argv);
  if (command == "config") return pixmill::cli::config_command(argc, argv);
  if (command == "keys") return pixmill::cli::keys_command(argc, argv);
  if (command == "sign") return pixmill::cli::sign_command(argc, argv);
  if (command == "faces") return pixmill::cli::faces_command(argc, argv);
  if (command == "svg-render") return pixmill::cli::svg_render_command(argc, argv);
  std::cerr << "usage: pixmill <command>\n"
               "  serve                 run the HTTP API (configured by environment, see README)\n"
               "  process IN -o OUT …   process one image (pixmill process --help)\n"
               "  info IN [--gps]       print the image's facts as JSON (size, EXIF, colours, BlurHash, ThumbHash, phash)\n"
               "  config                list the environment variables and their defaults\n"
               "  keys new --plan PLAN  print a fresh API key and its KEYS_FILE entry\n"
               "  sign URL              sign a GET URL with SIGNING_KEYS\n"
               "  faces IN...           print the detected face boxes of each image as JSON\n";
  return command.empty() || command == "help" || command == "--help" ? 0 : 2;
}
