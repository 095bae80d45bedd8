PKG_CFLAGS := -I/usr/include/editline 
PKG_LIBS := -lgsl -lgslcblas -lm -lyaml -ljansson -lnettle -lsqlite3 -ledit 
CMOCKA_LIBS := -lcmocka 
