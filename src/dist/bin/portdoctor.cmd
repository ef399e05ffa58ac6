@echo off
rem portdoctor launcher of the release archive for Windows: runs ..\lib\portdoctor.jar with JVM options
rem for a short-lived CLI. Usage: bin\portdoctor.cmd COMMAND [ARGS...]
setlocal
set "JAR=%~dp0..\lib\portdoctor.jar"
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
"%JAVA%" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn8m -Xshare:auto -Xlog:disable -Xlog:all=error:stderr -jar "%JAR%" %*
exit /b %ERRORLEVEL%
