@echo off
rem portdoctor launcher for Windows: builds the jar on first use, then runs it with JVM options for a
rem short-lived CLI. Usage: scripts\portdoctor.cmd COMMAND [ARGS...]
setlocal
set "ROOT=%~dp0.."
set "JAR=%ROOT%\target\portdoctor.jar"
if not exist "%JAR%" (
  echo portdoctor: building %JAR% ^(first run^)... 1>&2
  pushd "%ROOT%"
  call mvn -B -q -P launcher -Dportdoctor.lean -DskipTests package 1>&2
  if errorlevel 1 (
    popd
    echo portdoctor: the build failed; run "mvn -B package" in %ROOT% to see why 1>&2
    exit /b 70
  )
  popd
)
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
"%JAVA%" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn8m -Xshare:auto -Xlog:disable -Xlog:all=error:stderr -jar "%JAR%" %*
exit /b %ERRORLEVEL%
