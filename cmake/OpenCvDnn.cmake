# Debian splits OpenCV 4.6 per module; the DNN, imgproc and core -dev packages ship
# headers and libraries but no OpenCVConfig.cmake or opencv4.pc (those come with the
# whole libopencv-dev), so the three libraries are found by hand: pixmill::opencv.
find_path(PIXMILL_OPENCV_INCLUDE opencv2/dnn.hpp PATH_SUFFIXES opencv4 REQUIRED)
set(_pixmill_opencv_libs)
foreach(module core imgproc dnn)
  find_library(PIXMILL_OPENCV_${module} NAMES opencv_${module} REQUIRED)
  list(APPEND _pixmill_opencv_libs ${PIXMILL_OPENCV_${module}})
endforeach()
add_library(pixmill::opencv INTERFACE IMPORTED)
target_include_directories(pixmill::opencv SYSTEM INTERFACE ${PIXMILL_OPENCV_INCLUDE})
target_link_libraries(pixmill::opencv INTERFACE ${_pixmill_opencv_libs})
