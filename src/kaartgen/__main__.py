from kaartgen.cli import main

main()
