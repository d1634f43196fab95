#pragma once
// The subcommands of the one `pixmill` binary.

namespace pixmill::cli {

int process_command(int argc, char** argv);     // pixmill process IN -o OUT [--width …]
int info_command(int argc, char** argv);        // pixmill info IN [--gps]
int serve_command(int argc, char** argv);       // pixmill serve
int svg_render_command(int argc, char** argv);  // internal: sandboxed SVG rasteriser
int config_command(int argc, char** argv);      // pixmill config: the environment table
int keys_command(int argc, char** argv);        // pixmill keys new --plan pro
int sign_command(int argc, char** argv);        // pixmill sign URL
int faces_command(int argc, char** argv);       // pixmill faces IN...: face boxes as JSON

}  // namespace pixmill::cli
